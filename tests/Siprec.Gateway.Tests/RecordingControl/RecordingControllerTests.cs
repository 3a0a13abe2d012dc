using Siprec.Gateway.Tests.Support;
using Siprec.Recording;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// Pause and resume that not every recorder confirms (DESIGN §4.2: "the answer tells the truth about what happened"),
/// through the INFO handler and the real SRC against two fake SRSs on 127.0.0.1.
/// </summary>
public sealed class RecordingControllerTests
{
    private static async Task<RecordingHarness> RecordingOnBothAsync(FakeSrs first, FakeSrs second)
    {
        var harness = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(200, (await harness.StartRecordingAsync(first.Uri, second.Uri)).StatusCode);
        await first.WaitForAckAsync();
        await second.WaitForAckAsync();
        return harness;
    }

    [Fact]
    public async Task Pause_ThatOneOfTwoRecordersRefuses_Is200_WithAWarningNamingOnlyThatRecorder()
    {
        await using var good = FakeSrs.Start(FakeSrsBehavior.Accept, user: "good");
        await using var bad = FakeSrs.Start(FakeSrsBehavior.Accept, user: "bad");
        bad.AnswerInDialog(1, 488);
        await using var harness = await RecordingOnBothAsync(good, bad);

        var response = await harness.SendReasonAsync("pauseCallRecording");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning($"pauseCallRecording done; recorders that did not confirm: {bad.Uri}: 488 Not Acceptable Here"),
            response.GetHeader("Warning"));
        Assert.Equal(RecordingState.Paused, harness.Controller.State);
    }

    [Fact]
    public async Task Resume_ThatOneOfTwoRecordersRefuses_Is200_WithAWarningNamingOnlyThatRecorder()
    {
        await using var good = FakeSrs.Start(FakeSrsBehavior.Accept, user: "good");
        await using var bad = FakeSrs.Start(FakeSrsBehavior.Accept, user: "bad");
        bad.AnswerInDialog(2, 488); // the pause is its first in-dialog offer, the resume its second
        await using var harness = await RecordingOnBothAsync(good, bad);
        var paused = await harness.SendReasonAsync("pauseCallRecording");
        Assert.Equal(200, paused.StatusCode);
        Assert.Null(paused.GetHeader("Warning"));

        var response = await harness.SendReasonAsync("resumeCallRecording");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning($"resumeCallRecording done; recorders that did not confirm: {bad.Uri}: 488 Not Acceptable Here"),
            response.GetHeader("Warning"));
        Assert.Equal(RecordingState.Recording, harness.Controller.State);
    }

    [Fact]
    public async Task Pause_ThatEveryRecorderRefuses_Is200_BecauseMediaStopsAnyway_WithAWarningNamingEachRecorder()
    {
        // DESIGN §4.3: a recorder that rejects the pause re-INVITE still receives no media while paused, so the pause did happen.
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept, user: "first");
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept, user: "second");
        first.AnswerInDialog(1, 488);
        second.AnswerInDialog(1, 503);
        await using var harness = await RecordingOnBothAsync(first, second);

        var response = await harness.SendReasonAsync("pauseCallRecording");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("pauseCallRecording done; recorders that did not confirm: "
            + $"{first.Uri}: 488 Not Acceptable Here; {second.Uri}: 503 Service Unavailable"), response.GetHeader("Warning"));
        Assert.Equal(RecordingState.Paused, harness.Controller.State);
        Assert.Equal(400, (await harness.SendReasonAsync("pauseCallRecording")).StatusCode); // already paused, §4.2
    }

    [Fact]
    public async Task Pause_ThatEveryRecorderEndsTheDialogOver_Is400WithTheInvalidPauseText_AndTheRecordingHasFailed()
    {
        // RFC 5057 §5.1: 481 ends each recorder, so no recording is left to pause; the answer is §4.2's "invalid pause".
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept, user: "first");
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept, user: "second");
        first.AnswerInDialog(1, 481);
        second.AnswerInDialog(1, 481);
        await using var harness = await RecordingOnBothAsync(first, second);

        var response = await harness.SendReasonAsync("pauseCallRecording");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding invalid pauseCallRecording request"), response.GetHeader("Warning"));
        Assert.Equal(RecordingState.Failed, harness.Controller.State);
    }
}
