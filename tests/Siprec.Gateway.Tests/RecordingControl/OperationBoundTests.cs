using Siprec.Control;
using Siprec.Recording;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Testing;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// Issue 11, nothing blocks on a recorder: a recorder that never answers a pause re-INVITE holds the pause no longer than
/// the controller's operation bound (504 naming the action and the bound), and holds no other request at all: operations
/// of one recording do not queue behind each other's SIP transactions, so the stop and the call's end go out at once.
/// </summary>
public sealed class OperationBoundTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PauseToARecorderThatNeverAnswers_Is504AtTheBound_AndTheStopAfterItIsNotHeld()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, null); // the pause re-INVITE gets no final answer
        // The bound runs on a manual clock, moved on once the re-INVITE is out: a slow machine cannot turn the start into a 504.
        var clock = new ManualTimeProvider();
        await using var h = await RecordingHarness.StartAsync(operationTimeout: TimeSpan.FromMilliseconds(500), operationClock: clock);
        var started = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Start, SrsUris = [srs.Uri] }, CancellationToken.None);
        Assert.Equal(200, started.StatusCode);
        await srs.WaitForAckAsync();

        var pausing = h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Pause }, CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Equal(1, clock.ActiveTimerCount); // the pause's bound, armed before ExecuteAsync returned
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var pause = await pausing.WaitAsync(Guard);

        Assert.Equal(504, pause.StatusCode);
        Assert.StartsWith("pauseCallRecording: the recorders did not all answer within 0.5 s", pause.Text, StringComparison.Ordinal);
        Assert.Contains("a pause stops media at once", pause.Text, StringComparison.Ordinal);

        // The re-INVITE is still unanswered: the stop's BYE goes out beside it (RFC 3261 §15 allows a BYE at any time
        // in a confirmed dialog) and the SRS's 200 answers the stop.
        var stop = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Stop }, CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(200, stop.StatusCode);
        Assert.Equal(1, srs.Requests.Count(r => r.Method == SipMethods.Bye));
        Assert.Equal(RecordingState.Stopped, h.Controller.State);
        Assert.Equal("stopped", h.Controller.Resources.All.Single().Status);
    }

    [Fact]
    public async Task CallEndDuringAPauseTheRecorderNeverAnswers_SendsTheByeAtOnce()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, null);
        await using var h = await RecordingHarness.StartAsync(operationTimeout: TimeSpan.FromMinutes(5));
        var started = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Start, SrsUris = [srs.Uri] }, CancellationToken.None);
        Assert.Equal(200, started.StatusCode);
        await srs.WaitForAckAsync();

        var pause = h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Pause }, CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.False(pause.IsCompleted);

        // The operation bound is 5 minutes and the re-INVITE's own limit 32 s: only an end that waits for neither finishes inside the guard.
        await h.Controller.StopForCallEndAsync(CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(1, srs.Requests.Count(r => r.Method == SipMethods.Bye));
        Assert.Equal(RecordingState.Stopped, h.Controller.State);
        var late = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Resume }, CancellationToken.None);
        Assert.Equal(500, late.StatusCode);
    }

    [Fact]
    public async Task PauseThatOneOfTwoRecordersConfirms_AndTheOtherNeverAnswers_Is200AtTheBound_NamingThePendingOne()
    {
        await using var live = FakeSrs.Start(FakeSrsBehavior.Accept, user: "live");
        await using var stalled = FakeSrs.Start(FakeSrsBehavior.Accept, user: "stalled");
        stalled.AnswerInDialog(1, null);
        var clock = new ManualTimeProvider();
        await using var h = await RecordingHarness.StartAsync(operationTimeout: TimeSpan.FromSeconds(5), operationClock: clock);
        var started = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Start, SrsUris = [live.Uri, stalled.Uri] },
            CancellationToken.None);
        Assert.Equal(200, started.StatusCode);
        await live.WaitForAckAsync();
        await stalled.WaitForAckAsync();

        var pausing = h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Pause }, CancellationToken.None);
        await stalled.WaitForAsync(SipMethods.Invite, 2);
        await Poll.UntilAsync(() => h.Controller.Events.Any(e => e is { Kind: RecordingEventKind.Paused } && e.SrsUri == live.Uri), Guard,
            "the live recorder's pause confirmed");
        clock.Advance(TimeSpan.FromSeconds(5));
        var pause = await pausing.WaitAsync(Guard);

        Assert.Equal(200, pause.StatusCode);
        Assert.Equal($"pauseCallRecording done within 5 s by {live.Uri}; pending: {stalled.Uri}", pause.Text);
        Assert.Equal("paused", pause.Resource?.Status);
        Assert.Equal(RecordingState.Paused, h.Controller.State);
    }
}
