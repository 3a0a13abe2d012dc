using System.Net;
using Moq;
using Siprec.Recording.Connectors;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recording.Tests;

/// <summary>
/// Failover of a recorder that fails mid-call (issue 11, DESIGN "No silent loss"): the next SRV target of its URI, then the
/// connector's standby pool, with the same metadata IDs (RFC 7865 §6), streams, labels and direction, and the gap reported.
/// The SRC runs on a fake clock; the fake SRSs on loopback.
/// </summary>
public sealed class RecordingSessionFailoverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static RecordingStartOptions Connector(IEnumerable<FakeSrs> primaries, params FakeSrs[] standbys) => new()
    {
        Connector = new SrsConnector { Uris = primaries.Select(s => s.Uri).ToList(), FailoverUris = standbys.Select(s => s.Uri).ToList() },
    };

    private static async Task<SrcHarness> RecordAsync(ManualTimeProvider clock, RecordingStartOptions options, TimeSpan? pingInterval = null,
        ISipServerLocator? locator = null, params FakeSrs[] primaries)
    {
        var src = await SrcHarness.StartAsync(time: clock, pingInterval: pingInterval, locator: locator);
        var started = await src.Session.StartAsync(SrcHarness.StartRequest(), options, CancellationToken.None).WaitAsync(Bound);
        Assert.True(started.Started, string.Join("; ", started.Outcomes));
        foreach (var srs in primaries)
            await srs.WaitForAckAsync();
        return src;
    }

    private static (string Session, string Group, string SipSessionId, string Labels) Ids(SipRequest invite)
    {
        var metadata = InviteShape.ReadValidMetadata(invite);
        var session = Assert.Single(metadata.Sessions);
        return (session.SessionId, Assert.Single(metadata.Groups).GroupId, Assert.Single(session.SipSessionIds), string.Join(",", metadata.Streams.Select(s => s.Label)));
    }

    private static SipRequest InitialInvite(FakeSrs srs) => srs.Requests.First(r => r.Method == SipMethods.Invite && r.To?.Tag is null);

    [Fact]
    public async Task PrimaryEndedBySrsBye_TheStandbyGetsTheSameSessionAndGroup_RecordsBothStreams_AndTheGapIsReported()
    {
        var clock = new ManualTimeProvider();
        await using var primary = FakeSrs.Start(FakeSrsBehavior.Accept, user: "primary");
        await using var standby = FakeSrs.Start(FakeSrsBehavior.AcceptLate, user: "standby");
        await using var src = await RecordAsync(clock, Connector([primary], standby), primaries: primary);
        await src.PumpUntilAsync(() => primary.RtpPackets is { Caller: > 0, Bot: > 0 });
        var failedAt = clock.GetUtcNow();

        Assert.True((await primary.SendByeAsync().WaitAsync(Bound)).IsSuccess);
        var invite = await standby.InviteSeen.Task.WaitAsync(Bound);
        clock.Advance(TimeSpan.FromMilliseconds(300)); // the standby answers after 800 ms of real time: 300 ms of gap on the SRC's clock
        var failedOver = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.FailedOver);

        Assert.Equal(Ids(InitialInvite(primary)), Ids(invite)); // RFC 7865 §6: the SRS can join the pieces
        Assert.Equal(["1", "2"], SiprecBody.ReadSdp(invite)!.Media.Select(m => m.Label));
        Assert.All(SiprecBody.ReadSdp(invite)!.Media, m => Assert.Equal(SdpDirection.SendOnly, m.Direction));
        Assert.NotEqual(InitialInvite(primary).CallId, invite.CallId);
        Assert.Equal((standby.Uri, primary.Uri), (failedOver.SrsUri, failedOver.Replaces));
        Assert.Equal(new FailoverGap(failedAt, failedAt + TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)), failedOver.Gap);
        Assert.Equal(300, failedOver.Gap!.AudioNotDeliveredMs);
        var failed = Assert.Single(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
        Assert.Equal((primary.Uri, RecorderFailureCause.SrsBye, true), (failed.SrsUri, failed.Failure!.Cause, failed.FailoverPending));
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.FailingOver && e.SrsUri == standby.Uri && e.Replaces == primary.Uri);
        Assert.Equal(RecordingState.Recording, src.Session.State);

        await src.PumpUntilAsync(() => standby.RtpPackets is { Caller: > 5, Bot: > 5 });
        // The failed recorder's forwarders are gone: the media it received stays where it was.
        var (callerAtPrimary, botAtPrimary) = (await primary.DrainWithProbeAsync(0), await primary.DrainWithProbeAsync(1));
        await src.PumpUntilAsync(() => standby.RtpPackets.Caller > 10);
        Assert.Equal((callerAtPrimary, botAtPrimary), (await primary.DrainWithProbeAsync(0), await primary.DrainWithProbeAsync(1)));

        await src.Session.StopAsync(CancellationToken.None).WaitAsync(Bound);
        await standby.WaitForAsync(SipMethods.Bye);
    }

    [Fact]
    public async Task PrimaryStopsAnsweringPingsWhilePaused_TheStandbyIsInvitedInactive_AndGetsNoMediaUntilResume()
    {
        var clock = new ManualTimeProvider();
        var interval = TimeSpan.FromSeconds(10);
        await using var primary = FakeSrs.Start(FakeSrsBehavior.Accept, user: "primary");
        await using var standby = FakeSrs.Start(FakeSrsBehavior.Accept, user: "standby");
        primary.AnswerOptions(null);
        await using var src = await RecordAsync(clock, Connector([primary], standby), interval, primaries: primary);
        Assert.True((await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound)).Succeeded);

        clock.Advance(interval);
        await primary.WaitForAsync(SipMethods.Options);
        clock.Advance(new SrcOptions().PingTimeout);
        var invite = await standby.InviteSeen.Task.WaitAsync(Bound);
        var failedOver = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.FailedOver);

        Assert.All(SiprecBody.ReadSdp(invite)!.Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
        Assert.Equal(Ids(InitialInvite(primary)), Ids(invite));
        Assert.Equal(TimeSpan.Zero, failedOver.Gap!.AudioNotDelivered); // paused all along: no audio was lost
        Assert.Equal(RecordingState.Paused, src.Session.State);
        var failed = Assert.Single(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
        Assert.Equal(RecorderFailureCause.PingFailed, failed.Failure!.Cause);

        for (var i = 0; i < 25; i++)
        {
            src.Session.OnCallerRtp(src.NextRtp());
            src.Session.OnBotRtp(src.NextRtp());
        }

        Assert.Equal((0, 0), (await standby.DrainWithProbeAsync(0), await standby.DrainWithProbeAsync(1)));

        Assert.True((await src.Session.ResumeAsync(CancellationToken.None).WaitAsync(Bound)).Succeeded);
        var resume = Assert.Single(standby.ReInvites);
        Assert.All(SiprecBody.ReadSdp(resume)!.Media, m => Assert.Equal(SdpDirection.SendOnly, m.Direction));
        await src.PumpUntilAsync(() => standby.RtpPackets is { Caller: > 0, Bot: > 0 });
    }

    [Fact]
    public async Task EveryStandbyRefuses_EachIsTriedInOrder_AndTheRecordingFailsWithThePrimarysFailure()
    {
        var clock = new ManualTimeProvider();
        await using var primary = FakeSrs.Start(FakeSrsBehavior.Accept, user: "primary");
        await using var busy1 = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "busy1");
        await using var busy2 = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "busy2");
        await using var src = await RecordAsync(clock, Connector([primary], busy1, busy2), primaries: primary);

        await primary.SendByeAsync().WaitAsync(Bound);
        var recording = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri is null);

        Assert.Equal(RecordingState.Failed, src.Session.State);
        Assert.Equal(RecorderFailureCause.SrsBye, recording.Failure!.Cause);
        Assert.Contains("every recorder has ended", recording.Reason);
        Assert.Contains($"no standby accepted: {busy1.Uri}: 486 Busy Here; {busy2.Uri}: 486 Busy Here", recording.Reason);
        var refused = src.EventsSnapshot().Where(e => e.Kind == RecordingEventKind.Failed && e.Replaces == primary.Uri).Select(e => e.SrsUri!).ToArray();
        Assert.Equal([busy1.Uri, busy2.Uri], refused);
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.FailedOver);
        Assert.Equal((1, 1), (busy1.Invites, busy2.Invites));
    }

    [Fact]
    public async Task StopWhileTheStandbyRings_CancelsItsInvite_AndTriesNoOther()
    {
        var clock = new ManualTimeProvider();
        await using var primary = FakeSrs.Start(FakeSrsBehavior.Accept, user: "primary");
        await using var ringing = FakeSrs.Start(FakeSrsBehavior.Silent, user: "ringing");
        await using var next = FakeSrs.Start(FakeSrsBehavior.Accept, user: "next");
        await using var src = await RecordAsync(clock, Connector([primary], ringing, next), primaries: primary);

        await primary.SendByeAsync().WaitAsync(Bound);
        await ringing.InviteSeen.Task.WaitAsync(Bound);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.FailingOver);
        var stopped = await src.Session.StopAsync(CancellationToken.None).WaitAsync(Bound);

        await ringing.WaitForCancelAsync(Bound);
        Assert.True(stopped.Succeeded);
        Assert.Contains(stopped.Outcomes, o => o.SrsUri == ringing.Uri && o.Kind == SrsOutcomeKind.Cancelled);
        Assert.Equal(RecordingState.Stopped, src.Session.State);
        clock.Advance(TimeSpan.FromSeconds(5)); // past the standby's no-answer window: still nobody else is tried
        await ringing.WaitForAsync(SipMethods.Invite); // a marker: the SRC's transaction layer has run the timers
        Assert.Equal(0, next.Invites);
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.FailedOver || (e.Kind == RecordingEventKind.Failed && e.SrsUri is null));
    }

    [Fact]
    public async Task AStandbyServesOneFailedRecorderAtATime_TheSecondFailureTakesTheNextStandby()
    {
        var clock = new ManualTimeProvider();
        await using var p1 = FakeSrs.Start(FakeSrsBehavior.Accept, user: "p1");
        await using var p2 = FakeSrs.Start(FakeSrsBehavior.Accept, user: "p2");
        await using var s1 = FakeSrs.Start(FakeSrsBehavior.Accept, user: "s1");
        await using var s2 = FakeSrs.Start(FakeSrsBehavior.Accept, user: "s2");
        await using var src = await RecordAsync(clock, Connector([p1, p2], s1, s2), primaries: [p1, p2]);

        await p1.SendByeAsync().WaitAsync(Bound);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.FailedOver && e.Replaces == p1.Uri);
        await p2.SendByeAsync().WaitAsync(Bound);
        var second = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.FailedOver && e.Replaces == p2.Uri);

        Assert.Equal(s2.Uri, second.SrsUri);
        Assert.Equal((1, 1), (s1.Invites, s2.Invites));
        Assert.Equal(Ids(InitialInvite(p1)), Ids(InitialInvite(s2)));
        await src.PumpUntilAsync(() => s1.RtpPackets.Caller > 0 && s2.RtpPackets.Caller > 0);
        Assert.Equal(RecordingState.Recording, src.Session.State);
    }

    [Fact]
    public async Task AnSrsUriWithSeveralSrvTargets_FailsOverToTheNextLocatedTarget_BeforeAnyStandby()
    {
        const string uri = "sip:srs@recorders.example.test";
        var clock = new ManualTimeProvider();
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept, user: "first");
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept, user: "second");
        await using var standby = FakeSrs.Start(FakeSrsBehavior.Accept, user: "standby");
        var locator = new Mock<ISipServerLocator>();
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "recorders.example.test"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new[] { first, second }.Select(s => new SipTarget(s.SipEndPoint, SipTransportProtocol.Udp) { IsTransportExplicit = true }).ToArray());
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "127.0.0.1"), It.IsAny<CancellationToken>()))
            .Returns((SipUri u, CancellationToken ct) => new SystemDnsServerLocator().ResolveAsync(u, ct));
        var options = new RecordingStartOptions { Connector = new SrsConnector { Uris = [uri], FailoverUris = [standby.Uri] } };
        await using var src = await RecordAsync(clock, options, locator: locator.Object, primaries: first);

        await first.SendByeAsync().WaitAsync(Bound);
        var failedOver = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.FailedOver);

        Assert.Equal((uri, uri), (failedOver.SrsUri, failedOver.Replaces));
        Assert.Equal(Ids(InitialInvite(first)), Ids(InitialInvite(second)));
        Assert.Equal(0, standby.Invites);
        await src.PumpUntilAsync(() => second.RtpPackets is { Caller: > 0, Bot: > 0 });
        Assert.Equal(1, locator.Invocations.Count(i => i.Arguments[0] is SipUri { Host: "recorders.example.test" }));
    }
}
