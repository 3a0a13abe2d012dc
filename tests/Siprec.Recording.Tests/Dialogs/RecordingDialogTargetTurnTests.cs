using System.Net;
using System.Text;
using Moq;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

/// <summary>
/// RFC 3263 §4.3 failover inside the no-answer window (DESIGN §4.2): every located target but the last gets a turn of
/// max(time left / targets left, 2 × T1); a target silent for its turn is given up on and the next one is tried. Fake
/// clock for the SRC (T1 = 500 ms), real UDP sockets on 127.0.0.1.
/// </summary>
public sealed class RecordingDialogTargetTurnTests
{
    private const string SrsUri = "sip:srs@recorders.example.test";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    // The SRS URI resolves to these targets in this order (as SRV priorities would give them); an in-dialog IP literal to itself.
    private static ISipServerLocator Locator(params IPEndPoint[] targets)
    {
        var locator = new Mock<ISipServerLocator>();
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "recorders.example.test"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(targets.Select(t => new SipTarget(t, SipTransportProtocol.Udp) { IsTransportExplicit = true }).ToArray());
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "127.0.0.1"), It.IsAny<CancellationToken>()))
            .Returns((SipUri u, CancellationToken ct) => new SystemDnsServerLocator().ResolveAsync(u, ct));
        return locator.Object;
    }

    private static string Target(IPEndPoint endPoint) => $"udp:127.0.0.1:{endPoint.Port}";

    [Fact]
    public async Task Start_WhenTheFirstTargetIsSilent_SucceedsOnTheSecondWithinTheWindow_AndTheFirstGetsNoMoreRetransmissions()
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var silent = UdpPeer.Start();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(2), Locator(silent.EndPoint, srs.SipEndPoint), clock, logs);

        var begun = clock.GetUtcNow();
        var start = src.Session.StartAsync(SrcHarness.StartRequest(SrsUri), CancellationToken.None);
        await silent.WaitForAsync(SipMethods.Invite);
        clock.Advance(TimeSpan.FromSeconds(1)); // the first target's turn: 2 s / 2 targets = 1 s (= 2 × T1); Timer A fired once at 500 ms
        var result = await start.WaitAsync(Bound);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        Assert.Equal(TimeSpan.FromSeconds(1), clock.GetUtcNow() - begun); // started inside the 2 s window, on the fake clock
        await srs.WaitForAckAsync();
        Assert.Equal(1, srs.Invites);
        await silent.SettleAsync();
        Assert.Equal(2, silent.Count(SipMethods.Invite)); // the INVITE and its retransmission at T1
        clock.Advance(TimeSpan.FromSeconds(40)); // past Timer A's next firings (1.5 s, 3.5 s, …) and Timer B (32 s)
        await silent.SettleAsync();
        Assert.Equal(2, silent.Count(SipMethods.Invite));
        Assert.Equal(0, silent.Count(SipMethods.Cancel)); // RFC 3261 §9.1: no CANCEL without a provisional
        Assert.Contains(logs.Lines, l => l.Message == $"SRS {SrsUri} target {Target(silent.EndPoint)} silent for 1000 ms; trying {Target(srs.SipEndPoint)} (RFC 3263 §4.3, its turn of the no-answer window)");
    }

    [Fact]
    public async Task Start_WithThreeTargets_SharesTheTimeLeftAmongTheTargetsLeft()
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var first = UdpPeer.Start();
        await using var second = UdpPeer.Start();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(6), Locator(first.EndPoint, second.EndPoint, srs.SipEndPoint), clock, logs);

        var start = src.Session.StartAsync(SrcHarness.StartRequest(SrsUri), CancellationToken.None);
        await first.WaitForAsync(SipMethods.Invite);
        clock.Advance(TimeSpan.FromSeconds(2)); // 6 s / 3 targets
        await second.WaitForAsync(SipMethods.Invite);
        clock.Advance(TimeSpan.FromSeconds(2)); // the 4 s left / 2 targets
        var result = await start.WaitAsync(Bound);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        Assert.Contains(logs.Lines, l => l.Message.StartsWith($"SRS {SrsUri} target {Target(first.EndPoint)} silent for 2000 ms; trying {Target(second.EndPoint)}", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Message.StartsWith($"SRS {SrsUri} target {Target(second.EndPoint)} silent for 2000 ms; trying {Target(srs.SipEndPoint)}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WhenTheFirstTargetRingsThenSaysNothing_KeepsItForTheWholeWindow_ThenCancelsIt()
    {
        // A provisional means the target was reached (RFC 3263 §4.3 fails over only from a target that cannot be reached);
        // like a proceeding branch (RFC 3261 §16.6) it keeps the window, and the no-answer timeout CANCELs it.
        var clock = new ManualTimeProvider();
        await using var ringing = UdpPeer.Start();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(4), Locator(ringing.EndPoint, srs.SipEndPoint), clock);

        var start = src.Session.StartAsync(SrcHarness.StartRequest(SrsUri), CancellationToken.None);
        var (invite, from) = await ringing.WaitForAsync(SipMethods.Invite);
        var timers = clock.ActiveTimerCount;
        await ringing.SendAsync(SipResponse.CreateFor(invite, 180, toTag: "ringing"), from);
        // The 180 stops the INVITE's Timer A and Timer B (RFC 3261 §17.1.1.2): then the SRC has taken it.
        await Poll.UntilAsync(() => clock.ActiveTimerCount == timers - 2, Bound, "the SRC to take the 180");
        // 100 ms of fake time per poll round, through the end of its 2 s turn to the end of the 4 s window.
        await Poll.UntilAsync(() => start.IsCompleted, Bound, "the start to end with the window", () => clock.Advance(TimeSpan.FromMilliseconds(100)));
        var result = await start;

        Assert.False(result.Started);
        Assert.True(result.TimedOut);
        var (cancel, _) = await ringing.WaitForAsync(SipMethods.Cancel);
        Assert.Equal(invite.Vias[0].Branch, cancel.Vias[0].Branch);
        await ringing.SendAsync(SipResponse.CreateFor(cancel, 200, toTag: "ringing"), from);
        await ringing.SendAsync(SipResponse.CreateFor(invite, 487, toTag: "ringing"), from);
        await ringing.WaitForAsync(SipMethods.Ack); // the transaction ACKs the 487 (RFC 3261 §17.1.1.3)
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == SrsUri); // the INVITE loop has finished
        Assert.Equal(0, srs.Invites); // the second target was never tried
    }

    [Fact]
    public async Task Start_WhenTheAbandonedFirstTargetAcceptsLate_AcksThenByesIt_AndKeepsTheSecond()
    {
        var clock = new ManualTimeProvider();
        await using var late = UdpPeer.Start();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(2), Locator(late.EndPoint, srs.SipEndPoint), clock);

        var start = src.Session.StartAsync(SrcHarness.StartRequest(SrsUri), CancellationToken.None);
        var (invite, from) = await late.WaitForAsync(SipMethods.Invite);
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await start.WaitAsync(Bound);
        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        await srs.WaitForAckAsync();

        var sdp = "v=0\r\no=late 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=recvonly\r\nm=audio 9 RTP/AVP 0\r\na=recvonly\r\n";
        var ok = SipResponse.CreateFor(invite, 200, toTag: "late")
            .AddHeader("Contact", $"<sip:late@127.0.0.1:{late.EndPoint.Port}>")
            .WithBody("application/sdp", Encoding.ASCII.GetBytes(sdp));
        await late.SendAsync(ok, from);

        var (ack, _) = await late.WaitForAsync(SipMethods.Ack);
        var (bye, byeFrom) = await late.WaitForAsync(SipMethods.Bye);
        Assert.Equal(invite.CallId, ack.CallId);
        Assert.Equal(new CSeq(invite.CSeq!.Value.Sequence, SipMethods.Ack), ack.CSeq);
        Assert.Equal("late", ack.To!.Tag);
        Assert.Equal(invite.CallId, bye.CallId);
        Assert.Equal("late", bye.To!.Tag);
        Assert.True(bye.CSeq!.Value.Sequence > invite.CSeq!.Value.Sequence);
        Assert.Equal([SipMethods.Ack, SipMethods.Bye], late.Requests.Select(r => r.Request.Method).Where(m => m != SipMethods.Invite));
        await late.SendAsync(SipResponse.CreateFor(bye, 200), byeFrom);
        Assert.Equal(RecordingState.Recording, src.Session.State);
        Assert.DoesNotContain(srs.Requests, r => r.Method == SipMethods.Bye);
    }

    [Fact]
    public async Task Start_WithOneTargetOnly_GivesItTheWholeWindow()
    {
        var clock = new ManualTimeProvider();
        await using var silent = UdpPeer.Start();
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(2), Locator(silent.EndPoint), clock);

        var start = src.Session.StartAsync(SrcHarness.StartRequest(SrsUri), CancellationToken.None);
        await silent.WaitForAsync(SipMethods.Invite);
        clock.Advance(TimeSpan.FromMilliseconds(1900));
        await silent.SettleAsync();
        Assert.Equal(3, silent.Count(SipMethods.Invite)); // retransmitted at 500 ms and 1500 ms: not cut at 1 s
        Assert.False(start.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        var result = await start.WaitAsync(Bound);

        Assert.False(result.Started);
        Assert.True(result.TimedOut);
        clock.Advance(TimeSpan.FromSeconds(40));
        await silent.SettleAsync();
        Assert.Equal(3, silent.Count(SipMethods.Invite)); // given up on at the window's end: no more retransmissions
    }
}
