using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

/// <summary>What the SRC does with each class of failed answer to its re-INVITE or UPDATE (RFC 5057 §5.1), seen from outside.</summary>
public sealed class RecordingDialogFailureAnswerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // a hang guard, not a timing: CI shares 2 cores

    private static async Task<SrcHarness> StartRecordingAsync(FakeSrs srs, TimeProvider? time = null, ListLoggerFactory? loggerFactory = null)
    {
        var src = await SrcHarness.StartAsync(time: time, loggerFactory: loggerFactory);
        var started = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None).WaitAsync(Bound);
        Assert.True(started.Started, string.Join("; ", started.Outcomes));
        await srs.WaitForAckAsync();
        return src;
    }

    private static int Byes(FakeSrs srs) => srs.Requests.Count(r => r.Method == SipMethods.Bye);

    // Waits (bounded) until the SRC has armed a new wait on the fake clock (one not in armedBefore, e.g. the forwarders' RTCP
    // timers) that falls due within [earliest, latest] from now, and returns how far ahead it is. Nothing moves the clock
    // meanwhile, so the SRC cannot have ended that wait yet.
    private static async Task<TimeSpan> ArmedWaitAsync(ManualTimeProvider clock, IReadOnlyList<DateTimeOffset> armedBefore, TimeSpan earliest, TimeSpan latest,
        string what)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? due = null;
        await Poll.UntilAsync(() => (due = clock.PendingDueTimes.Except(armedBefore).Where(d => d - now >= earliest && d - now <= latest).Cast<DateTimeOffset?>().FirstOrDefault()) is not null,
            Bound, $"{what}: a timer due {earliest.TotalSeconds}-{latest.TotalSeconds} s from now on the fake clock");
        return due!.Value - now;
    }

    [Fact]
    public async Task Pause_Answered408_EndsTheRecorderWithBye_AndTheOperatorSeesTheCode()
    {
        var logs = new ListLoggerFactory();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 408);
        await using var src = await StartRecordingAsync(srs, loggerFactory: logs);

        var paused = await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);

        var outcome = Assert.Single(paused.Outcomes);
        Assert.False(paused.Succeeded);
        Assert.Equal(408, outcome.StatusCode);
        Assert.Contains("recorder ended", outcome.Detail);
        var bye = await srs.WaitForAsync(SipMethods.Bye);
        Assert.Equal(srs.ReInvites.Single().CallId, bye.CallId);
        Assert.True(bye.CSeq!.Value.Sequence > srs.ReInvites.Single().CSeq!.Value.Sequence);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("408", failed.Reason);
        Assert.Contains("RFC 5057", failed.Reason);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri is null);
        Assert.Equal(RecordingState.Failed, src.Session.State);
        Assert.Equal(1, Byes(srs));
        Assert.Contains(logs.Lines, l => l.Message.Contains(srs.Uri) && l.Message.Contains("ended by the SRS") && l.Message.Contains("408 Request Timeout"));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("(null)"));
    }

    [Fact]
    public async Task Pause_WithNoAnswerAtAll_TimesOutOnTimerB_AndEndsTheRecorderWithBye()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept, loseProvisionals: true);
        srs.AnswerInDialog(1, null);
        await using var src = await StartRecordingAsync(srs, clock);

        var pause = src.Session.PauseAsync(CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.False(pause.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(33)); // past Timer B, 64*T1 = 32 s (RFC 3261 §17.1.1.2)
        var paused = await pause.WaitAsync(Bound);

        var outcome = Assert.Single(paused.Outcomes);
        Assert.Equal(SrsOutcomeKind.Timeout, outcome.Kind);
        Assert.Contains("recorder ended", outcome.Detail);
        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("transaction timeout", failed.Reason);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }

    [Fact]
    public async Task Pause_AnsweredOnlyWith100Trying_IsCancelledAfter64T1_AndEndsTheRecorderWithBye()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, null); // its transaction layer still sends 100 Trying, which stops Timer B at the SRC
        await using var src = await StartRecordingAsync(srs, clock);

        var pause = src.Session.PauseAsync(CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite, 2);
        var sent = clock.GetUtcNow();
        await Poll.UntilAsync(() => srs.CancelledCount > 0, Bound, "the SRC's CANCEL of the unanswered re-INVITE",
            () => clock.Advance(TimeSpan.FromSeconds(1)));
        var paused = await pause.WaitAsync(Bound);

        Assert.True(clock.GetUtcNow() - sent >= TimeSpan.FromSeconds(32), "cancelled before 64*T1");
        var outcome = Assert.Single(paused.Outcomes);
        Assert.Equal(SrsOutcomeKind.Timeout, outcome.Kind);
        Assert.Contains("recorder ended", outcome.Detail);
        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("transaction timeout", failed.Reason);
    }

    [Fact]
    public async Task Pause_Answered481_EndsTheRecorder_AndSendsNoBye()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 481);
        await using var src = await StartRecordingAsync(srs);

        var paused = await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(481, Assert.Single(paused.Outcomes).StatusCode);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("481", failed.Reason);
        Assert.Contains("without BYE", failed.Reason);
        Assert.Equal(RecordingState.Failed, src.Session.State);

        // Nothing is left to end: a stop afterwards sends no BYE either.
        await src.Session.StopAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(0, Byes(srs));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(416)]
    [InlineData(482)]
    [InlineData(483)]
    [InlineData(484)]
    [InlineData(485)]
    [InlineData(502)]
    [InlineData(604)]
    public async Task Pause_AnsweredWithACodeThatDestroysTheDialog_EndsTheRecorderWithBye(int code)
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, code);
        await using var src = await StartRecordingAsync(srs);

        var paused = await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(code, Assert.Single(paused.Outcomes).StatusCode);
        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains(code.ToString(), failed.Reason);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }

    [Fact]
    public async Task MetadataUpdate_Answered410_EndsTheRecorderWithBye()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AllowUpdate = true;
        srs.AnswerInDialog(1, 410);
        await using var src = await StartRecordingAsync(srs);

        var held = await src.Session.SetOnHoldAsync(CallParty.Caller, true, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(410, Assert.Single(held.Outcomes).StatusCode);
        Assert.Single(srs.Requests, r => r.Method == SipMethods.Update);
        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("410", failed.Reason);
    }

    [Fact]
    public async Task Pause_Answered491_IsRetriedAfterTheBackOff_AndSucceeds()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 491);
        await using var src = await StartRecordingAsync(srs, clock);

        var armedBefore = clock.PendingDueTimes;
        var pause = src.Session.PauseAsync(CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite, 2);

        // RFC 3261 §14.1: the SRC owns the Call-ID, so it waits 2.1 s to 4 s before it tries again.
        var backOff = await ArmedWaitAsync(clock, armedBefore, TimeSpan.FromMilliseconds(2100), TimeSpan.FromSeconds(4), "the RFC 3261 §14.1 back-off after 491");
        Assert.Single(srs.ReInvites);
        clock.Advance(backOff);
        await srs.WaitForAsync(SipMethods.Invite, 3);
        var paused = await pause.WaitAsync(Bound);

        Assert.True(paused.Succeeded, string.Join("; ", paused.Outcomes));
        Assert.All(SiprecBody.ReadSdp(srs.ReInvites[1])!.Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
        Assert.Equal(RecordingState.Paused, src.Session.State);
        Assert.Equal(0, Byes(srs));
    }

    [Fact]
    public async Task Pause_Answered503WithRetryAfterWithinTheBound_IsRetriedOnceAfterIt_AndSucceeds()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 503, ("Retry-After", "3"));
        await using var src = await StartRecordingAsync(srs, clock);

        var armedBefore = clock.PendingDueTimes;
        var pause = src.Session.PauseAsync(CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite, 2);

        var retryAfter = await ArmedWaitAsync(clock, armedBefore, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), "the wait the SRS's Retry-After: 3 asked for");
        Assert.Single(srs.ReInvites);
        clock.Advance(retryAfter);
        await srs.WaitForAsync(SipMethods.Invite, 3);
        var paused = await pause.WaitAsync(Bound);

        Assert.True(paused.Succeeded, string.Join("; ", paused.Outcomes));
        Assert.Equal(2, srs.ReInvites.Count);
        Assert.Equal(RecordingState.Paused, src.Session.State);
        Assert.Equal(0, Byes(srs));
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
    }

    [Fact]
    public async Task Pause_Answered503WithRetryAfterBeyondTheBound_IsReported_TheDialogStaysWithoutMedia_AndNoBye()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 503, ("Retry-After", "120"));
        await using var src = await StartRecordingAsync(srs);

        var paused = await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);

        var outcome = Assert.Single(paused.Outcomes);
        Assert.False(paused.Succeeded);
        Assert.Equal(503, outcome.StatusCode);
        Assert.DoesNotContain("recorder ended", outcome.Detail);
        Assert.Single(srs.ReInvites);
        Assert.Equal(RecordingState.Paused, src.Session.State);

        // Media sent while paused never reaches the SRS: UDP on loopback keeps order, so once a packet sent after the
        // resume arrives, any paused packet would have arrived before it.
        var before = srs.CallerMedia.PacketsReceived;
        for (var i = 0; i < 25; i++)
            src.Session.OnCallerRtp(src.NextRtp());
        var resumed = await src.Session.ResumeAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.True(resumed.Succeeded, string.Join("; ", resumed.Outcomes));
        var sentAfterResume = 0;
        await Poll.UntilAsync(() => srs.CallerMedia.PacketsReceived > before, Bound, "caller RTP after the resume",
            () => { src.Session.OnCallerRtp(src.NextRtp()); sentAfterResume++; });
        Assert.InRange(srs.CallerMedia.PacketsReceived - before, 1, sentAfterResume);
        Assert.Equal(0, Byes(srs));
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
    }

    [Fact]
    public async Task Pause_Answered488_FailsOnlyThatTransaction_TheRecorderStays_AndNoBye()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 488);
        await using var src = await StartRecordingAsync(srs);

        var paused = await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);
        var resumed = await src.Session.ResumeAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.False(paused.Succeeded);
        Assert.Equal("488 Not Acceptable Here", Assert.Single(paused.Outcomes).Detail);
        Assert.True(resumed.Succeeded, string.Join("; ", resumed.Outcomes));
        Assert.Equal(2, srs.ReInvites.Count);
        Assert.Equal(RecordingState.Recording, src.Session.State);
        Assert.Equal(0, Byes(srs));
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
    }

    [Fact]
    public async Task SessionRefresh_Answered408_EndsTheRecorderWithBye()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.SessionExpiresAnswer = "90;refresher=uac";
        srs.AnswerInDialog(1, 408);
        await using var src = await StartRecordingAsync(srs, clock);

        clock.Advance(TimeSpan.FromSeconds(45)); // RFC 4028 §10: the refresher re-INVITEs at half the interval

        await srs.WaitForAsync(SipMethods.Invite, 2);
        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("408", failed.Reason);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }
}
