using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recording.Tests;

public sealed class SiprecClientTests
{
    [Fact]
    public async Task InDialogOptionsAndInfo_FromTheSrs_Get200()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await srs.WaitForAckAsync();

        var options = await srs.SendInDialogAsync(SipMethods.Options);
        var info = await srs.SendInDialogAsync(SipMethods.Info);

        Assert.Equal(200, options.Response!.StatusCode);
        Assert.Equal(200, info.Response!.StatusCode);
        Assert.Equal(RecordingState.Recording, src.Session.State);
    }

    [Fact]
    public async Task RefreshReInviteWithoutSdp_FromTheSrs_IsAnsweredWithTheCurrentSdpAsAnOffer_AndItsAckAnswerIsApplied()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var other = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        var invite = await srs.WaitForAsync(SipMethods.Invite);
        await srs.WaitForAckAsync();
        var offered = SiprecBody.ReadSdp(invite)!;

        // The ACK's answer moves the media to another pair of sockets: proof the SRC applied it.
        var answer = await srs.SendInDialogAsync(SipMethods.Invite, null, null, [new("Session-Expires", "1800;refresher=uas")], ackSdp: other.AnswerSdp());

        Assert.Equal(200, answer.Response!.StatusCode);
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(answer.Response.Body.Span), out var sdp, out _));
        Assert.Equal(offered.Media.Select(m => (m.Port, m.Label)), sdp!.Media.Select(m => (m.Port, m.Label)));
        Assert.All(sdp.Media, m => Assert.Equal(SdpDirection.SendOnly, m.Direction));
        Assert.Contains("+sip.src", answer.Response.GetHeader("Contact"));
        Assert.Equal("1800;refresher=uas", answer.Response.GetHeader("Session-Expires"));
        await src.PumpUntilAsync(() => other.CallerMedia.PacketsReceived > 0 && other.BotMedia.PacketsReceived > 0);
    }

    [Fact]
    public async Task RefreshUpdateWithoutSdp_FromTheSrs_Gets200WithoutAnOffer()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await srs.WaitForAckAsync();

        var answer = await srs.SendInDialogAsync(SipMethods.Update, null, null, [new("Session-Expires", "600;refresher=uas")]);

        Assert.Equal(200, answer.Response!.StatusCode);
        Assert.True(answer.Response.Body.IsEmpty);
        Assert.Equal("600;refresher=uas", answer.Response.GetHeader("Session-Expires"));
        Assert.Equal(RecordingState.Recording, src.Session.State);
    }

    [Fact]
    public async Task RequestForAnUnknownDialog_Gets481()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        var bye = new SipRequest(SipMethods.Bye, SipUri.Parse($"sip:siprec-src@127.0.0.1:{src.Client.SipEndPoint.Port}"))
        {
            Headers =
            [
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("From", "<sip:srs@127.0.0.1>;tag=x1"),
                new SipHeader("To", "<sip:siprec-src@127.0.0.1>;tag=y2"),
                new SipHeader("Call-ID", "no-such-dialog@127.0.0.1"),
                new SipHeader("CSeq", "7 BYE"),
            ],
        };

        var outcome = await srs.SendRawAsync(bye, src.Client.SipEndPoint);

        Assert.Equal(481, outcome.Response!.StatusCode);
    }

    [Fact]
    public async Task SessionTimer_WithTheSrcAsRefresher_ReInvitesAtHalfTheInterval()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.SessionExpiresAnswer = "90;refresher=uac";
        await using var src = await SrcHarness.StartAsync(locator: null, time: clock);
        var start = src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        var invite = await srs.WaitForAsync(SipMethods.Invite);
        Assert.Equal("1800;refresher=uac", invite.GetHeader("Session-Expires"));
        Assert.True((await start.WaitAsync(TimeSpan.FromSeconds(5))).Started);
        await srs.WaitForAckAsync();

        clock.Advance(TimeSpan.FromSeconds(44));
        Assert.Single(srs.Requests, r => r.Method == SipMethods.Invite);
        clock.Advance(TimeSpan.FromSeconds(1));

        var refresh = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Equal(invite.CallId, refresh.CallId);
        Assert.All(SiprecBody.ReadSdp(refresh)!.Media, m => Assert.Equal(SdpDirection.SendOnly, m.Direction));
    }

    [Fact]
    public async Task CreateSession_BeforeStart_Throws()
    {
        await using var client = new SiprecClient(new SrcOptions(), TimeProvider.System, NullLoggerFactory.Instance);

        Assert.Throws<InvalidOperationException>(() => client.CreateSession(SrcHarness.Call));
        Assert.Throws<InvalidOperationException>(() => client.SipEndPoint);
    }

    [Fact]
    public void Constructor_RejectsOptionsOutOfRange()
    {
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { NoAnswerTimeout = TimeSpan.Zero }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { SrcUser = "a b" }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { MaxRecorders = 0 }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { MaxRetryAfter = TimeSpan.FromSeconds(-1) }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { MaxRetryAfter = TimeSpan.FromSeconds(33) }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { PingInterval = TimeSpan.FromMilliseconds(500) }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { PingInterval = TimeSpan.FromHours(2) }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { PingTimeout = TimeSpan.Zero }, TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Throws<ArgumentException>(() => new SiprecClient(new SrcOptions { PingTimeout = TimeSpan.FromSeconds(33) }, TimeProvider.System, NullLoggerFactory.Instance));
    }

    [Fact]
    public void Options_PingEvery10s_WaitingAtMost4s_AndZeroTurnsPingsOff()
    {
        var defaults = new SrcOptions();

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(4)), (defaults.PingInterval, defaults.PingTimeout));
        (defaults with { PingInterval = TimeSpan.Zero, PingTimeout = TimeSpan.FromSeconds(32) }).Validate();
    }

    [Fact]
    public async Task StartAsync_BindsAnEphemeralUdpPort()
    {
        await using var client = new SiprecClient(new SrcOptions(), TimeProvider.System, NullLoggerFactory.Instance);

        await client.StartAsync(CancellationToken.None);

        Assert.Equal(IPAddress.Loopback, client.SipEndPoint.Address);
        Assert.NotEqual(0, client.SipEndPoint.Port);
    }
}
