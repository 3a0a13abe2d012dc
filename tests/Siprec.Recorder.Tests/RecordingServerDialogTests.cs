using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>In-dialog behaviour of the SRS over loopback UDP, with the SRS on a manual clock.</summary>
public sealed class RecordingServerDialogTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _output = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly TaskCompletionSource<RecordedSessionSummary> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RecordingServer _server = null!;
    private SrcPeer _src = null!;

    private IPEndPoint Srs => _server.SipEndPoint;

    public async Task InitializeAsync()
    {
        // The media timeout is off: these tests move the clock with no RTP, to reach the dialog timers.
        _server = new RecordingServer(new RecordingServerOptions { OutputDirectory = _output.Path, MediaTimeout = TimeSpan.Zero }, _clock, NullLoggerFactory.Instance);
        _server.SessionCompleted += s => _completed.TrySetResult(s);
        await _server.StartAsync(CancellationToken.None);
        _src = SrcPeer.Start();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _src.DisposeAsync();
        _output.Dispose();
    }

    private Task<(Dialog Dialog, SipResponse Ok)> EstablishAsync(SdpDirection direction, Func<SipRequest, SipRequest>? edit = null) =>
        _src.EstablishAsync(_server, SiprecBodies.Offer(1, direction, 4000, 4002), edit);

    private async Task<SipResponse> ReinviteAsync(Dialog dialog, SdpSession offer, Func<SipRequest, SipRequest>? edit = null)
    {
        var reinvite = dialog.CreateRequest(SipMethods.Invite).WithBody("application/sdp", offer.ToBytes());
        if (edit is not null) reinvite = edit(reinvite);
        var response = await _src.SendAsync(reinvite, Srs);
        await _src.Layer.SendAckAsync(dialog.CreateAck(reinvite.CSeq!.Value.Sequence), Srs);
        return response;
    }

    private static SdpSession Sdp(SipResponse response)
    {
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(response.Body.Span), out var sdp, out var error), error);
        return sdp!;
    }

    [Fact]
    public async Task InitialInactiveOffer_StartsPaused_AndASendOnlyReinviteEndsThePause()
    {
        var (dialog, ok) = await EstablishAsync(SdpDirection.Inactive);
        Assert.All(Sdp(ok).Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
        Assert.True(Assert.Single(_server.ActiveSessions).IsPaused);
        _clock.Advance(TimeSpan.FromSeconds(1.5));

        var resumed = await ReinviteAsync(dialog, SiprecBodies.Offer(2, SdpDirection.SendOnly, 4000, 4002));
        Assert.Equal(200, resumed.StatusCode);
        Assert.Equal(Sdp(ok).Media.Select(m => m.Port), Sdp(resumed).Media.Select(m => m.Port));
        Assert.True(Sdp(resumed).Origin.SessionVersion > Sdp(ok).Origin.SessionVersion);
        Assert.Equal(200, (await _src.SendAsync(dialog.CreateRequest(SipMethods.Bye), Srs)).StatusCode);

        var summary = await _completed.Task.WaitAsync(WaitLimit);
        var pause = Assert.Single(summary.PausedSpans);
        Assert.Equal(0, pause.StartSeconds);
        Assert.Equal(1.5, pause.EndSeconds);
    }

    [Fact]
    public async Task PortZeroOnEveryMLine_PausesAndIsAnsweredWithPortZero()
    {
        var (dialog, _) = await EstablishAsync(SdpDirection.SendOnly);

        var paused = await ReinviteAsync(dialog, SiprecBodies.Offer(2, SdpDirection.SendOnly, 0, 0));

        Assert.Equal(200, paused.StatusCode);
        Assert.All(Sdp(paused).Media, m => Assert.Equal(0, m.Port));
        Assert.True(Assert.Single(_server.ActiveSessions).IsPaused);
    }

    [Fact]
    public async Task ReinviteChangingTheNumberOfMLines_IsRejected488AndTheSessionContinues()
    {
        var (dialog, _) = await EstablishAsync(SdpDirection.SendOnly);

        var response = await ReinviteAsync(dialog, SiprecBodies.Offer(2, SdpDirection.SendOnly, 4000));

        Assert.Equal(488, response.StatusCode);
        Assert.Contains("m-line", response.GetHeader("Warning"));
        Assert.Equal(1, _server.ActiveSessionCount);
        Assert.False(_server.ActiveSessions[0].IsPaused);
    }

    [Fact]
    public async Task InfoAndOptionsInsideTheDialog_AreAnswered200()
    {
        var (dialog, _) = await EstablishAsync(SdpDirection.SendOnly);

        Assert.Equal(200, (await _src.SendAsync(dialog.CreateRequest(SipMethods.Info), Srs)).StatusCode);
        Assert.Equal(200, (await _src.SendAsync(dialog.CreateRequest(SipMethods.Options), Srs)).StatusCode);
    }

    [Fact]
    public async Task MetadataOnlyUpdate_ReplacesTheParticipantsInTheSidecar()
    {
        var (dialog, ok) = await EstablishAsync(SdpDirection.SendOnly);
        var update = SiprecBodies.Metadata.Replace("sip:bot@flow.example.com", "sip:agent@flow.example.com");

        var response = await _src.SendAsync(dialog.CreateRequest(SipMethods.Update).WithBody("application/rs-metadata+xml", Encoding.UTF8.GetBytes(update)), Srs);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Sdp(ok).Media.Select(m => m.Port), Sdp(response).Media.Select(m => m.Port));
        Assert.Equal(200, (await _src.SendAsync(dialog.CreateRequest(SipMethods.Bye), Srs)).StatusCode);

        var summary = await _completed.Task.WaitAsync(WaitLimit);
        var json = Sidecar.Read(summary.JsonPath);
        Assert.Equal(["sip:+15550001@example.com", "sip:agent@flow.example.com"], json["participants"]!.Select(p => (string?)p["aor"]));
    }

    [Fact]
    public async Task SessionWithoutRefresh_IsEndedByTheSrsWithByeBeforeTheSessionTimerRunsOut()
    {
        static SipRequest WithTimer(SipRequest r) => r.SetHeader("Session-Expires", "90").SetHeader("Supported", "timer");
        var (dialog, ok) = await EstablishAsync(SdpDirection.SendOnly, WithTimer);
        Assert.Equal("90;refresher=uac", ok.GetHeader("Session-Expires"));
        Assert.Contains("timer", ok.GetHeader("Require"));

        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(200, (await ReinviteAsync(dialog, SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000, 4002), WithTimer)).StatusCode);
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, _server.ActiveSessionCount);

        _clock.Advance(TimeSpan.FromSeconds(11));
        var summary = await _completed.Task.WaitAsync(WaitLimit);

        Assert.False(summary.Complete);
        Assert.Equal(0, _server.ActiveSessionCount);
        using var limit = new CancellationTokenSource(WaitLimit);
        while (!_src.Received.Any(r => r.Method == SipMethods.Bye && r.CallId == dialog.Id.CallId))
            await Task.Delay(10, limit.Token);
    }

    [Fact]
    public async Task InviteWhose200IsNeverAcknowledged_IsEndedWithByeAfter64T1()
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));
        var invite = _src.CreateInvite(Srs, contentType, body);
        Assert.Equal(200, (await _src.SendAsync(invite, Srs)).StatusCode);

        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, _server.ActiveSessionCount);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var summary = await _completed.Task.WaitAsync(WaitLimit);

        Assert.False(summary.Complete);
        using var limit = new CancellationTokenSource(WaitLimit);
        while (!_src.Received.Any(r => r.Method == SipMethods.Bye && r.CallId == invite.CallId))
            await Task.Delay(10, limit.Token);
    }

    [Fact]
    public async Task InviteThroughARecordRoutingProxy_GetsTheRecordRouteSetBack_AndTheSrsByeFollowsIt()
    {
        // RFC 3261 §12.1.1: the SRS's 200 copies Record-Route so the SRC's ACK, re-INVITEs and BYE stay on the proxy path;
        // the SRS's own BYE (here: no ACK in 64*T1) goes to the first route with the set in Route headers, not to the Contact.
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));
        var proxy = $"<sip:{_src.EndPoint};lr;ftag=x1>";
        var invite = _src.CreateInvite(Srs, contentType, body)
            .AddHeader("Record-Route", proxy)
            .SetHeader("Contact", "<sip:src@192.0.2.77:5099>;+sip.src");
        var ok = await _src.SendAsync(invite, Srs);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal([proxy], ok.GetHeaderValues("Record-Route"));

        _clock.Advance(TimeSpan.FromSeconds(33));
        await _completed.Task.WaitAsync(WaitLimit);
        await Poll.UntilAsync(() => _src.Received.Any(r => r.Method == SipMethods.Bye && r.CallId == invite.CallId), WaitLimit, "the SRS's BYE at the proxy");
        var bye = _src.Received.First(r => r.Method == SipMethods.Bye && r.CallId == invite.CallId);
        Assert.Equal("sip:src@192.0.2.77:5099", bye.RequestUri.ToString());
        Assert.Equal([proxy], bye.GetHeaderValues("Route"));
    }

    [Fact]
    public async Task AcknowledgedSession_OutlivesTheMissingAckWatch()
    {
        await EstablishAsync(SdpDirection.SendOnly);

        _clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(1, _server.ActiveSessionCount);
    }

    [Fact]
    public async Task SessionExpiresBelowTheMinimum_IsAnswered422WithMinSe()
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000));
        var invite = _src.CreateInvite(Srs, contentType, body).SetHeader("Session-Expires", "30");

        var response = await _src.SendAsync(invite, Srs);

        Assert.Equal(422, response.StatusCode);
        Assert.Equal("90", response.GetHeader("Min-SE"));
    }
}
