using Siprec.Control;
using Siprec.Gateway.Tests.Support;
using Siprec.Sip.Messages;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>
/// Issue 11, nothing blocks on a recorder: a recorder that never answers a pause re-INVITE holds neither the pause nor the
/// requests after it past the controller's operation bound; each is answered 504 naming the action and the bound.
/// </summary>
public sealed class OperationBoundTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PauseToARecorderThatNeverAnswers_Is504AtTheBound_AndTheNextRequestToo()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, null); // the pause re-INVITE gets no final answer
        await using var h = await RecordingHarness.StartAsync(operationTimeout: TimeSpan.FromMilliseconds(500));
        var started = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Start, SrsUris = [srs.Uri] }, CancellationToken.None);
        Assert.Equal(200, started.StatusCode);
        await srs.WaitForAckAsync();

        var pause = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Pause }, CancellationToken.None).WaitAsync(Guard);
        await srs.WaitForAsync(SipMethods.Invite, 2);

        Assert.Equal(504, pause.StatusCode);
        Assert.StartsWith("pauseCallRecording: the recorders did not all answer within 0.5 s", pause.Text, StringComparison.Ordinal);
        Assert.Contains("a pause stops media at once", pause.Text, StringComparison.Ordinal);

        var stop = await h.Controller.ExecuteAsync(new RecordingControlRequest { Action = RecordingAction.Stop }, CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(504, stop.StatusCode);
        Assert.StartsWith("stopCallRecording: the recorders did not all answer within 0.5 s", stop.Text, StringComparison.Ordinal);
    }
}
