using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Control;
using Siprec.Media.Rtp;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Fakes;

/// <summary>A started SRC on 127.0.0.1 (real clock) with one session for a caller/bot call, and RTP helpers.</summary>
public sealed class SrcHarness : IAsyncDisposable
{
    private ushort _sequence;

    private SrcHarness(SiprecClient client, RecordingSession session)
    {
        Client = client;
        Session = session;
        session.EventRaised += e =>
        {
            lock (Events)
                Events.Add(e);
        };
    }

    public SiprecClient Client { get; }

    public RecordingSession Session { get; }

    public List<RecordingEvent> Events { get; } = [];

    public static readonly RecordedCall Call = new(
        "call-1@example.test",
        Address("\"Alice <& Co>\" <sip:alice@example.test>;tag=a1"),
        Address("<sip:bot@example.test>;tag=b1"),
        new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)));

    private static NameAddress Address(string text) =>
        NameAddress.TryParse(text, out var value) && value is not null ? value : throw new FormatException(text);

    /// <summary>Starts the SRC and makes the session.</summary>
    /// <param name="noAnswerTimeout">Default 2 s.</param>
    /// <param name="locator">Default the system DNS.</param>
    /// <param name="time">Default the system clock.</param>
    /// <param name="loggerFactory">Default none.</param>
    /// <param name="pingInterval">
    /// The OPTIONS keep-alive interval. Default the product's (10 s) on the system clock, but off on a fake clock: a test
    /// that moves a fake clock by tens of seconds at once would time every ping out before the loopback SRS could answer
    /// it, so tests of pings ask for them explicitly.
    /// </param>
    public static async Task<SrcHarness> StartAsync(TimeSpan? noAnswerTimeout = null, ISipServerLocator? locator = null, TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null, TimeSpan? pingInterval = null)
    {
        var options = new SrcOptions
        {
            NoAnswerTimeout = noAnswerTimeout ?? TimeSpan.FromSeconds(2),
            PingInterval = pingInterval ?? (time is ManualTimeProvider ? TimeSpan.Zero : new SrcOptions().PingInterval),
        };
        var client = new SiprecClient(options, time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance, locator);
        await client.StartAsync(CancellationToken.None);
        return new SrcHarness(client, client.CreateSession(Call));
    }

    public static RecordingControlRequest StartRequest(params string[] srsUris) => new()
    {
        Action = RecordingAction.Start,
        SrsUris = srsUris,
        RecordingId = "rec-<42>&\"x\"",
        CallSid = "CA123",
        AccountSid = "AC456",
        ApplicationSid = "AP789",
        CustomHeaders = new Dictionary<string, string> { ["X-Customer"] = "a&b<c>" },
    };

    public IReadOnlyList<RecordingEvent> EventsSnapshot()
    {
        lock (Events)
            return Events.ToArray();
    }

    public byte[] NextRtp()
    {
        var packet = new byte[RtpHeader.Size + 160];
        _sequence++;
        new RtpHeader(0, false, _sequence, _sequence * 160u, 0x11223344).Write(packet);
        return packet;
    }

    /// <summary>Sends caller and bot RTP every 20 ms until <paramref name="done"/> holds; TimeoutException after <paramref name="timeout"/>.</summary>
    public Task PumpUntilAsync(Func<bool> done, TimeSpan? timeout = null) =>
        Poll.UntilAsync(done, timeout ?? TimeSpan.FromSeconds(5), "the expected RTP", () =>
        {
            Session.OnCallerRtp(NextRtp());
            Session.OnBotRtp(NextRtp());
        });

    /// <summary>Waits for an event matching <paramref name="match"/>; TimeoutException after 5 s.</summary>
    public async Task<RecordingEvent> WaitForEventAsync(Func<RecordingEvent, bool> match)
    {
        RecordingEvent? found = null;
        await Poll.UntilAsync(() => (found = EventsSnapshot().FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(5), "the expected recording event");
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await Client.DisposeAsync();
    }
}
