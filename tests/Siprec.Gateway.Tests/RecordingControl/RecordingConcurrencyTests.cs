using Siprec.Control;
using Siprec.Gateway.Tests.Support;
using Siprec.Recording;
using Siprec.Sip.Messages;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// Issue 11, one serialized context per recording: requests that reach one call's recording at the same time (REST, INFO,
/// the call's end) are decided one at a time on the session's state, and none waits for another one's SIP transaction
/// except a pause, resume or stop for the decision of a start in flight. Real SRC against fake SRSs on 127.0.0.1.
/// </summary>
public sealed class RecordingConcurrencyTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private static RecordingControlRequest Start(FakeSrs srs) => new() { Action = RecordingAction.Start, SrsUris = [srs.Uri] };

    private static RecordingControlRequest Just(RecordingAction action) => new() { Action = action };

    [Fact]
    public async Task TwoStartsAtOnce_OneRuns_TheOtherIsRefusedAsADuplicateWithoutWaiting()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.AcceptLate, lateDelay: TimeSpan.FromSeconds(1));
        await using var h = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(10));

        var first = h.Controller.ExecuteAsync(Start(srs), CancellationToken.None);
        var second = await h.Controller.ExecuteAsync(Start(srs), CancellationToken.None).WaitAsync(Guard);

        Assert.Equal(400, second.StatusCode);
        Assert.Equal(RecordingErrorTexts.DuplicateStart, second.Text);
        Assert.False(first.IsCompleted); // refused while the first still waited for its SRS
        Assert.Equal(200, (await first.WaitAsync(Guard)).StatusCode);
        Assert.Equal(1, srs.Invites);
        Assert.Single(h.Controller.Resources.All);
    }

    [Fact]
    public async Task PauseDuringAStart_WaitsForTheStartsDecision_ThenPauses()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.AcceptLate, lateDelay: TimeSpan.FromSeconds(1));
        await using var h = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(10));

        var start = h.Controller.ExecuteAsync(Start(srs), CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite);
        var pause = h.Controller.ExecuteAsync(Just(RecordingAction.Pause), CancellationToken.None);

        Assert.Equal(200, (await start.WaitAsync(Guard)).StatusCode);
        var paused = await pause.WaitAsync(Guard);
        Assert.Equal(200, paused.StatusCode);
        Assert.Equal(RecordingState.Paused, h.Controller.State);
        var reinvite = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Contains("a=inactive", System.Text.Encoding.UTF8.GetString(reinvite.Body.Span), StringComparison.Ordinal);
        Assert.Equal("paused", h.Controller.Resources.All.Last().Status);
    }

    [Fact]
    public async Task CallEndDuringAStart_CancelsTheInviteAtOnce_AndALaterStartIsRefused()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var h = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(30));

        var start = h.Controller.ExecuteAsync(Start(srs), CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Invite);

        // The no-answer window is 30 s: only an end that does not wait for the start finishes inside the guard.
        await h.Controller.StopForCallEndAsync(CancellationToken.None).WaitAsync(Guard);
        await srs.WaitForCancelAsync(Guard);
        var started = await start.WaitAsync(Guard);
        Assert.NotEqual(200, started.StatusCode);
        Assert.Equal(RecordingState.Stopped, h.Controller.State);

        var again = await h.Controller.ExecuteAsync(Start(srs), CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(500, again.StatusCode);
        Assert.Equal(1, srs.Invites);
    }

    [Fact]
    public async Task ResumeWhileThePauseReinviteIsOut_IsDecidedAtOnce_AndItsOfferFollowsThePausesOnTheDialog()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var h = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, (await h.Controller.ExecuteAsync(Start(srs), CancellationToken.None)).StatusCode);
        await srs.WaitForAckAsync();

        var pause = h.Controller.ExecuteAsync(Just(RecordingAction.Pause), CancellationToken.None);
        var resume = h.Controller.ExecuteAsync(Just(RecordingAction.Resume), CancellationToken.None);

        var paused = await pause.WaitAsync(Guard);
        var resumed = await resume.WaitAsync(Guard);
        // Either order is a truthful answer; what must hold is that the last word is the recording's state and the SRS's.
        Assert.Equal(200, paused.StatusCode);
        Assert.True(resumed.StatusCode is 200 or 400, $"resume answered {resumed.StatusCode} {resumed.Text}");
        var last = await srs.WaitForAsync(SipMethods.Invite, resumed.StatusCode == 200 ? 3 : 2);
        var expected = resumed.StatusCode == 200 ? "a=sendonly" : "a=inactive";
        Assert.Contains(expected, System.Text.Encoding.UTF8.GetString(last.Body.Span), StringComparison.Ordinal);
        Assert.Equal(resumed.StatusCode == 200 ? RecordingState.Recording : RecordingState.Paused, h.Controller.State);
    }
}
