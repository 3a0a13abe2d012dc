using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// A dead recorder as the operator sees it (DESIGN "No silent loss"): the REST resource and its recorders, the
/// <c>siprec-error</c> callback, the failure metric and a log line in the CallSid and SiprecSid scopes. The gateway runs on a
/// fake clock so the OPTIONS pings (every 10 s, 4 s to answer) come when the test says.
/// </summary>
public sealed class RecorderFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(4);
    private const int PingAnsweredEvent = 7040;
    private const int RecorderFailedEvent = 1214;

    private sealed class FailureMeter : IDisposable
    {
        private readonly MeterListener _listener = new();

        public FailureMeter(RestHarness h)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, h.Gateway.Metrics.Meter) && instrument.Name == "siprec.gateway.recorder.failures")
                    l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
            {
                var t = new Dictionary<string, object?>();
                foreach (var tag in tags) t[tag.Key] = tag.Value;
                Failures.Enqueue((v, (string?)t["reason"], (int?)t["code"]));
            });
            _listener.Start();
        }

        public ConcurrentQueue<(long Value, string? Reason, int? Code)> Failures { get; } = new();

        public void Dispose() => _listener.Dispose();
    }

    private static async Task<JObject> PollResourceAsync(RestHarness h, string sid, Func<JObject, bool> until, string what, string prefix = "/2010-04-01")
    {
        JObject resource = new();
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            (_, resource) = await h.SendAsync(h.Path(sidOrName: sid, prefix: prefix), null);
            if (until(resource))
                return resource;
            try
            {
                await Task.Delay(Poll.Interval, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the REST resource never showed {what}: {resource}");
            }
        }
    }

    private static async Task<bool> SeenWithinAsync(Func<bool> condition, TimeSpan bound)
    {
        try
        {
            await Poll.UntilAsync(condition, bound, "the condition");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task OneOfTwoRecordersStopsAnswering_TheSessionStaysInProgress_TheDeadOneIsVisible_AndASiprecErrorNamesIt()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var logs = new ListLoggerFactory();
        using var callbacks = new CallbackListener();
        await using var h = await RestHarness.StartAsync(time: clock, loggerFactory: logs);
        using var meter = new FailureMeter(h);
        h.Srs2.AnswerOptions(null);
        var (status, created) = await h.SendAsync(h.Path(), [("ConnectorName", "pair"), ("StatusCallback", callbacks.Url)]);
        Assert.Equal(HttpStatusCode.Created, status);
        var sid = (string)created["sid"]!;
        await h.Srs.WaitForAckAsync();
        // The manual clock also holds the SRC's INVITE retransmission (RFC 3261 Timer A, T1 = 500 ms): in one CI run of the
        // full suite the second SRS never saw the first INVITE (cause not found: the datagram or its handling was lost under
        // load). If it has not arrived, let Timer A fire once, as the system clock would have; the ping timer is armed only
        // at admission, after this.
        if (!await SeenWithinAsync(() => h.Srs2.Invites > 0, TimeSpan.FromSeconds(5))) clock.Advance(TimeSpan.FromMilliseconds(500));
        await h.Srs2.WaitForAckAsync();

        clock.Advance(Interval);
        await h.Srs2.WaitForAsync(SipMethods.Options);
        await Poll.UntilAsync(() => logs.Lines.Any(l => l.EventId == PingAnsweredEvent), Bound, "the live recorder's answer to its ping");
        clock.Advance(PingTimeout);
        await h.Srs2.WaitForAsync(SipMethods.Bye);

        var resource = await PollResourceAsync(h, sid, r => (string?)r["recorders"]![1]!["status"] == "failed", "the second recorder failed");
        Assert.Equal("in-progress", (string?)resource["status"]);
        Assert.Equal(JTokenType.Null, resource["error_code"]!.Type);
        var (live, dead) = (resource["recorders"]![0]!, resource["recorders"]![1]!);
        Assert.Equal((h.Srs.Uri, "active"), ((string?)live["srs_uri"], (string?)live["status"]));
        Assert.Equal(h.Srs2.Uri, (string?)dead["srs_uri"]);
        Assert.Equal(503, (int?)dead["error_code"]);
        Assert.Contains("no answer to OPTIONS within 4 s", (string?)dead["error"]);

        await callbacks.WaitForAsync(2, Bound);
        var error = Assert.Single(callbacks.Received, c => c.Fields["SiprecEvent"] == "siprec-error");
        Assert.Equal("99112", error.Fields["SiprecErrorCode"]);
        Assert.Contains(h.Srs2.Uri, error.Fields["SiprecError"]);
        Assert.EndsWith("(SIP 503)", error.Fields["SiprecError"], StringComparison.Ordinal);
        Assert.Contains("recording goes on with 1 recorder(s)", error.Fields["SiprecError"]);
        Assert.Equal(sid, error.Fields["SiprecSid"]);

        Assert.Equal([(1L, "ping-failed", 0)], meter.Failures.Select(f => (f.Value, f.Reason, f.Code)));
        var line = Assert.Single(logs.Lines, l => l.EventId == RecorderFailedEvent);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal((h.CallSid, sid), (line.CallSid, line.SiprecSid));
        Assert.Contains(h.Srs2.Uri, line.Message);
        Assert.Contains("ping-failed", line.Message);
        Assert.Equal(0, h.Srs.Requests.Count(r => r.Method == SipMethods.Bye));
    }

    [Fact]
    public async Task TheLastRecorderAnswering481_EndsTheSessionStoppedWithErrorCode481_AndOneSiprecError_EvenAfterHangUp()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var logs = new ListLoggerFactory();
        using var callbacks = new CallbackListener();
        await using var h = await RestHarness.StartAsync(time: clock, loggerFactory: logs);
        using var meter = new FailureMeter(h);
        h.Srs.AnswerOptions(481);
        var (_, created) = await h.CreateAsync(("StatusCallback", callbacks.Url));
        var sid = (string)created["sid"]!;
        await h.Srs.WaitForAckAsync();

        clock.Advance(Interval);

        var resource = await PollResourceAsync(h, sid, r => (string?)r["status"] == "stopped", "the session ended");
        Assert.Equal(481, (int?)resource["error_code"]);
        Assert.Equal("failed", (string?)resource["recorders"]![0]!["status"]);
        var (_, telnyx) = await h.SendAsync(h.Path(sidOrName: sid, prefix: "/v2/texml"), null);
        Assert.Equal(JTokenType.String, telnyx["error_code"]!.Type);
        Assert.Equal("481", (string?)telnyx["error_code"]);

        // The dispatcher retries a delivery that failed (a cold listener under load) after a back-off on this fake clock:
        // the session is over, so moving the clock now only lets such a retry happen.
        await Poll.UntilAsync(() => callbacks.Received.Count >= 2, Bound, "2 callback requests", () => clock.Advance(TimeSpan.FromSeconds(1)));
        var error = Assert.Single(callbacks.Received, c => c.Fields["SiprecEvent"] == "siprec-error");
        Assert.Equal("99113", error.Fields["SiprecErrorCode"]);
        Assert.Contains("every recorder has ended", error.Fields["SiprecError"]);
        Assert.Contains("481", error.Fields["SiprecError"]);
        Assert.Equal([(1L, "ping-failed", 481)], meter.Failures.Select(f => (f.Value, f.Reason, f.Code)));
        Assert.Contains(logs.Lines, l => l.EventId == 1215 && l.CallSid == h.CallSid && l.SiprecSid == sid);

        await h.HangUpAsync();
        var (_, after) = await h.SendAsync(h.Path(sidOrName: sid), null);
        Assert.Equal(481, (int?)after["error_code"]);
        Assert.DoesNotContain(callbacks.Received, c => c.Fields["SiprecEvent"] == "siprec-stopped");
        Assert.Equal(0, h.Srs.Requests.Count(r => r.Method == SipMethods.Bye));
    }

    [Fact]
    public async Task AnSrsBye_EndsTheSessionWithErrorCode503_AndIsCountedAsSrsBye()
    {
        await using var h = await RestHarness.StartAsync();
        using var meter = new FailureMeter(h);
        var (_, created) = await h.CreateAsync();
        var sid = (string)created["sid"]!;
        await h.Srs.WaitForAckAsync();

        Assert.True((await h.Srs.SendByeAsync().WaitAsync(Bound)).IsSuccess);

        var resource = await PollResourceAsync(h, sid, r => (string?)r["status"] == "stopped", "the session ended");
        Assert.Equal(503, (int?)resource["error_code"]);
        Assert.Contains("BYE from SRS", (string?)resource["recorders"]![0]!["error"]);
        Assert.Equal([(1L, "srs-bye", 0)], meter.Failures.Select(f => (f.Value, f.Reason, f.Code)));
    }

    [Fact]
    public async Task AnSrsByeWithAReason_EndsTheSessionWithTheReasonsCause_AndText()
    {
        await using var h = await RestHarness.StartAsync();
        var (_, created) = await h.CreateAsync();
        var sid = (string)created["sid"]!;
        await h.Srs.WaitForAckAsync();

        Assert.True((await h.Srs.SendInDialogAsync(SipMethods.Bye, null, null, [new("Reason", "SIP ;cause=507 ;text=\"storage full\"")]).WaitAsync(Bound)).IsSuccess);

        var resource = await PollResourceAsync(h, sid, r => (string?)r["status"] == "stopped", "the session ended");
        Assert.Equal(507, (int?)resource["error_code"]);
        Assert.Equal(507, (int?)resource["recorders"]![0]!["error_code"]);
        Assert.Contains("BYE from SRS: storage full (Reason: SIP ;cause=507 ;text=", (string?)resource["recorders"]![0]!["error"]);
    }
}
