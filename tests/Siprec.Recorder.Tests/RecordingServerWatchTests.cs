using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>
/// How the SRS ends sessions an SRC abandoned (issue 12): the media timeout and its own RFC 4028 session timer, over
/// loopback UDP with the SRS on a manual clock.
/// </summary>
public sealed class RecordingServerWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _output = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly TaskCompletionSource<RecordedSessionSummary> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RecordingServer _server = null!;
    private SrcPeer _src = null!;
    private RtpSocket _rtp = null!;

    private IPEndPoint Srs => _server.SipEndPoint;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _src.DisposeAsync();
        await _rtp.DisposeAsync();
        _output.Dispose();
    }

    private async Task StartAsync(TimeSpan mediaTimeout)
    {
        _server = new RecordingServer(new RecordingServerOptions { OutputDirectory = _output.Path, MediaTimeout = mediaTimeout }, _clock, NullLoggerFactory.Instance);
        _server.SessionCompleted += s => _completed.TrySetResult(s);
        await _server.StartAsync(CancellationToken.None);
        _src = SrcPeer.Start();
        _rtp = RtpSocket.Bind(IPAddress.Loopback);
    }

    private Task<(Dialog Dialog, SipResponse Ok)> EstablishAsync(SdpDirection direction, Func<SipRequest, SipRequest>? edit = null) =>
        _src.EstablishAsync(_server, SiprecBodies.Offer(1, direction, _rtp.LocalEndPoint.Port), edit);

    private async Task SendRtpAsync(SipResponse ok, ushort sequence)
    {
        var answer = SiprecBodies.Answer(ok);
        var media = answer.Media[0];
        var destination = new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(media)!.Address), media.Port);
        var packet = new byte[RtpHeader.Size + 160];
        new RtpHeader(G711.PcmuPayloadType, false, sequence, sequence * 160u, 0x1111u).Write(packet);
        var session = Assert.Single(_server.ActiveSessions);
        var before = session.Streams[0].Packets;
        _rtp.Send(packet, destination);
        await Poll.UntilAsync(() => session.Streams[0].Packets > before, Bound, "the SRS to receive the RTP packet");
    }

    private async Task<SipRequest> ByeFromSrsAsync(Dialog dialog)
    {
        await Poll.UntilAsync(() => _src.Received.Any(r => r.Method == SipMethods.Bye && r.CallId == dialog.Id.CallId), Bound, "the SRS's BYE");
        return _src.Received.First(r => r.Method == SipMethods.Bye && r.CallId == dialog.Id.CallId);
    }

    [Fact]
    public async Task ASessionWithNoRtpFor30Seconds_IsEndedWithBye408_AndItsSidecarSaysWhy()
    {
        await StartAsync(TimeSpan.FromSeconds(30));
        var (dialog, _) = await EstablishAsync(SdpDirection.SendOnly);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, _server.ActiveSessionCount);
        _clock.Advance(TimeSpan.FromSeconds(2));

        var summary = await _completed.Task.WaitAsync(Bound);
        var bye = await ByeFromSrsAsync(dialog);
        Assert.Equal("SIP ;cause=408 ;text=\"no RTP for 30 s\"", bye.GetHeader("Reason"));
        Assert.False(summary.Complete);
        Assert.Equal("no RTP for 30 s", summary.Reason);
        var sidecar = Sidecar.Read(summary.JsonPath);
        Assert.False((bool)sidecar["complete"]!);
        Assert.Equal("no RTP for 30 s", (string?)sidecar["reason"]);
        Assert.NotEqual(Newtonsoft.Json.Linq.JTokenType.Null, sidecar["stopTime"]!.Type);
    }

    [Fact]
    public async Task RtpWithinTheTimeout_KeepsTheSessionOpen()
    {
        await StartAsync(TimeSpan.FromSeconds(30));
        var (_, ok) = await EstablishAsync(SdpDirection.SendOnly);

        for (ushort i = 1; i <= 3; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(20));
            await SendRtpAsync(ok, i);
        }
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, _server.ActiveSessionCount);
        Assert.False(_completed.Task.IsCompleted);
    }

    [Fact]
    public async Task APausedSession_IsNotEndedByTheMediaTimeout()
    {
        await StartAsync(TimeSpan.FromSeconds(30));
        await EstablishAsync(SdpDirection.Inactive);

        _clock.Advance(TimeSpan.FromSeconds(120));

        Assert.Equal(1, _server.ActiveSessionCount);
        Assert.False(_completed.Task.IsCompleted);
    }

    [Fact]
    public async Task AnSrcThatSupportsTimersButOffersNone_IsToldToRefreshWithTheDefaultInterval()
    {
        await StartAsync(TimeSpan.Zero);

        var (_, ok) = await EstablishAsync(SdpDirection.SendOnly, r => r.SetHeader("Supported", "timer"));

        Assert.Equal("1800;refresher=uac", ok.GetHeader("Session-Expires"));
        Assert.Contains("timer", ok.GetHeader("Require"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnSrcWithoutTimerSupport_IsRefreshedByTheSrs_WithoutRequireTimer()
    {
        await StartAsync(TimeSpan.Zero);

        var (dialog, ok) = await EstablishAsync(SdpDirection.SendOnly);
        Assert.Equal("1800;refresher=uas", ok.GetHeader("Session-Expires"));
        Assert.DoesNotContain("timer", ok.GetHeader("Require") ?? "", StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(900));
        await Poll.UntilAsync(() => _src.Received.Any(r => r.Method == SipMethods.Invite && r.CallId == dialog.Id.CallId), Bound,
            "the SRS's refresh re-INVITE (the SRC allows no UPDATE)");
        var refresh = _src.Received.First(r => r.Method == SipMethods.Invite && r.CallId == dialog.Id.CallId);
        Assert.Equal("1800;refresher=uas", refresh.GetHeader("Session-Expires"));
        Assert.Equal(1, _server.ActiveSessionCount);
    }

    [Fact]
    public async Task AnSrcThatAllowsUpdate_IsRefreshedWithUpdate_AndASessionWhoseRefreshFailsIsEnded()
    {
        await StartAsync(TimeSpan.Zero);
        var never = new TaskCompletionSource();
        _src.BeforeAnswer = r => r.Method == SipMethods.Update ? never.Task : Task.CompletedTask; // the SRC never answers the refresh

        var (dialog, _) = await EstablishAsync(SdpDirection.SendOnly, r => r.SetHeader("Allow", "INVITE, ACK, BYE, UPDATE"));

        _clock.Advance(TimeSpan.FromSeconds(900));
        await Poll.UntilAsync(() => _src.Received.Any(r => r.Method == SipMethods.Update), Bound, "the SRS's refresh UPDATE");
        _clock.Advance(TimeSpan.FromSeconds(33)); // past 64*T1 with no answer to the UPDATE
        var summary = await _completed.Task.WaitAsync(Bound);
        Assert.Equal("session timer expired", summary.Reason);
        Assert.Equal("SIP ;cause=408 ;text=\"session timer expired\"", (await ByeFromSrsAsync(dialog)).GetHeader("Reason"));
    }
}
