using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionOperationsTests
{
    [Fact]
    public async Task Media_FromEachLeg_ReachesItsLabelledStreamAtTheSrs()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        src.Session.OnCallerRtp(src.NextRtp());
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0 && srs.BotMedia.PacketsReceived > 0);

        Assert.True(srs.CallerMedia.PacketsReceived > 0);
        Assert.True(srs.BotMedia.PacketsReceived > 0);
    }

    [Fact]
    public async Task Pause_SendsAnInactiveReInvite_AndNoRtpReachesTheSrs_UntilResumeSendsSendonly()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0 && srs.BotMedia.PacketsReceived > 0);
        var initialInvite = await srs.WaitForAsync(SipMethods.Invite);

        var paused = await src.Session.PauseAsync(CancellationToken.None);

        Assert.True(paused.Succeeded);
        Assert.Equal(SrsOutcomeKind.Accepted, paused.Outcomes.Single().Kind);
        Assert.Equal(RecordingState.Paused, src.Session.State);
        var reinvite = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Equal(initialInvite.CallId, reinvite.CallId);
        var pausedSdp = SiprecBody.ReadSdp(reinvite)!;
        var initialSdp = SiprecBody.ReadSdp(initialInvite)!;
        Assert.All(pausedSdp.Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
        Assert.Equal(initialSdp.Media.Select(m => (m.Port, m.Label)), pausedSdp.Media.Select(m => (m.Port, m.Label)));
        Assert.Equal(initialSdp.Origin.SessionVersion + 1, pausedSdp.Origin.SessionVersion);
        await srs.WaitForAckAsync(2);

        // Nothing may arrive while paused: the forwarders send on the caller's thread, so once a probe sent after the
        // packets is in, any of them that was forwarded is counted.
        var callerBefore = await srs.DrainWithProbeAsync(0);
        var botBefore = await srs.DrainWithProbeAsync(1);
        for (var i = 0; i < 25; i++)
        {
            src.Session.OnCallerRtp(src.NextRtp());
            src.Session.OnBotRtp(src.NextRtp());
        }

        Assert.Equal(callerBefore, await srs.DrainWithProbeAsync(0));
        Assert.Equal(botBefore, await srs.DrainWithProbeAsync(1));

        var resumed = await src.Session.ResumeAsync(CancellationToken.None);

        Assert.True(resumed.Succeeded);
        Assert.Equal(RecordingState.Recording, src.Session.State);
        var resumeInvite = await srs.WaitForAsync(SipMethods.Invite, 3);
        var resumedSdp = SiprecBody.ReadSdp(resumeInvite)!;
        Assert.All(resumedSdp.Media, m => Assert.Equal(SdpDirection.SendOnly, m.Direction));
        Assert.Equal(pausedSdp.Origin.SessionVersion + 1, resumedSdp.Origin.SessionVersion);
        await src.PumpUntilAsync(() => srs.MediaPackets(0) > callerBefore && srs.MediaPackets(1) > botBefore);
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Paused && e.SrsUri is null);
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Resumed && e.SrsUri == srs.Uri);
    }

    [Fact]
    public async Task Pause_RejectedByTheSrs_StillSendsItNoMedia()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0);
        srs.RejectReinvites = true;

        var paused = await src.Session.PauseAsync(CancellationToken.None);

        Assert.False(paused.Succeeded);
        Assert.Equal(488, paused.Outcomes.Single().StatusCode);
        Assert.Equal(RecordingState.Paused, src.Session.State);
        var before = await srs.DrainWithProbeAsync(0);
        for (var i = 0; i < 25; i++)
            src.Session.OnCallerRtp(src.NextRtp());
        Assert.Equal(before, await srs.DrainWithProbeAsync(0));
    }

    [Fact]
    public async Task Resume_RefusedByEveryRecorder_LeavesTheRecordingPaused_AndSendsNoMedia()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0);
        Assert.True((await src.Session.PauseAsync(CancellationToken.None)).Succeeded);
        srs.RejectReinvites = true;

        var resumed = await src.Session.ResumeAsync(CancellationToken.None);

        // Truthful state: the recorder kept the inactive direction, so nothing would be recorded; a retry may resume it.
        Assert.False(resumed.Succeeded);
        Assert.Equal(488, resumed.Outcomes.Single().StatusCode);
        Assert.Equal(RecordingState.Paused, src.Session.State);
        var before = await srs.DrainWithProbeAsync(0);
        for (var i = 0; i < 25; i++)
            src.Session.OnCallerRtp(src.NextRtp());
        Assert.Equal(before, await srs.DrainWithProbeAsync(0));

        srs.RejectReinvites = false;
        Assert.True((await src.Session.ResumeAsync(CancellationToken.None)).Succeeded);
        Assert.Equal(RecordingState.Recording, src.Session.State);
    }

    [Fact]
    public async Task Pause_WhenNotRecording_DoesNothing()
    {
        await using var src = await SrcHarness.StartAsync();

        var paused = await src.Session.PauseAsync(CancellationToken.None);
        var resumed = await src.Session.ResumeAsync(CancellationToken.None);

        Assert.False(paused.Succeeded);
        Assert.False(resumed.Succeeded);
        Assert.Equal(RecordingState.Idle, src.Session.State);
    }

    [Fact]
    public async Task Stop_SendsByeToEveryRecorder_AndTheStateIsStopped()
    {
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(first.Uri, second.Uri), CancellationToken.None);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Started && e.SrsUri == first.Uri);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Started && e.SrsUri == second.Uri);

        var stopped = await src.Session.StopAsync(CancellationToken.None);

        Assert.True(stopped.Succeeded);
        Assert.True(2 == stopped.Outcomes.Count, string.Join(" / ", src.Session.Outcomes) + " events: " + string.Join(" / ", src.EventsSnapshot()));
        Assert.All(stopped.Outcomes, o => Assert.Equal(SrsOutcomeKind.Accepted, o.Kind));
        Assert.Equal(RecordingState.Stopped, src.Session.State);
        var bye = await first.WaitForAsync(SipMethods.Bye);
        Assert.Equal(first.Dialog!.Id.CallId, bye.CallId);
        await second.WaitForAsync(SipMethods.Bye);
        Assert.NotEqual(first.Dialog.Id.CallId, second.Dialog!.Id.CallId);
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Stopped && e.SrsUri is null);
    }

    [Fact]
    public async Task Stop_WhileAnSrsIsStillRinging_CancelsItsInvite()
    {
        await using var accepting = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(10));
        await src.Session.StartAsync(SrcHarness.StartRequest(accepting.Uri, silent.Uri), CancellationToken.None);
        // The start returns once one SRS accepted; the silent one's INVITE must be out (it tries TCP first for its size,
        // RFC 3261 §18.1.1) before a stop can cancel it rather than never send it.
        await silent.WaitForAsync(SipMethods.Invite);

        await src.Session.StopAsync(CancellationToken.None);

        await silent.WaitForCancelAsync(TimeSpan.FromSeconds(20));
        await accepting.WaitForAsync(SipMethods.Bye);
        Assert.Equal(SrsOutcomeKind.Cancelled, src.Session.Outcomes[1].Kind);
    }

    [Fact]
    public async Task SrsBye_EndsOnlyThatRecorder_AndTheLastOneGoneFailsTheRecording()
    {
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(first.Uri, second.Uri), CancellationToken.None);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Started && e.SrsUri == first.Uri);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Started && e.SrsUri == second.Uri);
        await first.WaitForAckAsync();

        var answer = await first.SendByeAsync();

        Assert.True(answer.IsSuccess);
        var ended = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == first.Uri);
        Assert.Contains("BYE", ended.Reason);
        Assert.Equal(RecordingState.Recording, src.Session.State);
        var firstCount = first.CallerMedia.PacketsReceived;
        var secondCount = second.CallerMedia.PacketsReceived;
        await src.PumpUntilAsync(() => second.CallerMedia.PacketsReceived > secondCount + 3);
        Assert.Equal(firstCount, first.CallerMedia.PacketsReceived);
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.SrsUri == second.Uri && e.Kind == RecordingEventKind.Failed);

        await second.WaitForAckAsync();
        Assert.True((await second.SendByeAsync()).IsSuccess);

        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri is null);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }
}
