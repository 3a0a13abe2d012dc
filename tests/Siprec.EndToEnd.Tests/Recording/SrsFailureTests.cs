using Siprec.Recording;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>
/// The ways an SRS fails a recording (samples/sipp/srs-busy, -no-answer, -bye), each against the gateway: the
/// start is answered with the DESIGN §4.2 code and text, the SRS outcome and the recording events tell what
/// happened, and both sides end up agreeing on what is recorded.
/// </summary>
[Collection(SrsScenarioCollection.Name)]
public sealed class SrsFailureTests
{
    private const string NoResponseText = "No response from SipRec server, return error to feature server";

    [SkippableFact]
    public async Task Busy_FailsTheStartWith503_NamingTheSrsAnd486()
    {
        await using var harness = new GatewayHarness("srs-busy.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 1));

        run.AssertPeersSucceeded();
        var uri = harness.Srs.Uri;
        var start = run.Info("startCallRecording");
        Assert.Equal(503, start.StatusCode);
        Assert.Equal($"Error starting SipRec call recording: {uri}: 486 Busy Here", start.Warning);
        Assert.Contains(run.Summary.RecorderOutcomes, o => o.SrsUri == uri && o.Kind == SrsOutcomeKind.Rejected && o.StatusCode == 486);
        var recorder = Assert.Single(run.RecorderEvents(uri));
        Assert.Equal(RecordingEventKind.Failed, recorder.Kind);
        Assert.Contains("486", recorder.Reason, StringComparison.Ordinal);
        Assert.Equal([RecordingEventKind.Failed], run.RecordingEvents().Select(e => e.Kind));
        Assert.Single(run.Srs.Requests("ACK"));
        Assert.Empty(run.Srs.Requests("BYE"));
    }

    [SkippableFact]
    public async Task NoAnswer_AnswersTheStart400_AndTheLateAcceptGetsAckThenBye()
    {
        await using var harness = new GatewayHarness("srs-no-answer.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 4));

        var uri = harness.Srs.Uri;
        var start = run.Info("startCallRecording");
        Assert.True(start.StatusCode == 400 && start.Warning == NoResponseText, $"start answer {start}\n{run.Report()}");
        Assert.Contains(run.Summary.RecorderOutcomes, o => o.SrsUri == uri && o.Kind == SrsOutcomeKind.Timeout);
        Assert.DoesNotContain(run.Summary.RecordingEvents, e => e.Kind == RecordingEventKind.Started);
        Assert.Contains(run.RecordingEvents(), e => e.Kind == RecordingEventKind.Failed);

        // Both sides must agree nothing is recording: the late 200 is ACKed, then the dialog is ended with BYE.
        var methods = run.Srs.Received.Select(m => m.Split(' ')[0]).Where(m => m is "ACK" or "BYE" or "CANCEL").ToList();
        Assert.True(methods.SequenceEqual(["ACK", "BYE"]), $"after its late 200 the SRS received [{string.Join(", ", methods)}], expected [ACK, BYE]\n{run.Srs.Diagnostics}");
        run.AssertPeersSucceeded();
    }

    [SkippableFact]
    public async Task SrsBye_EndsTheOnlyRecorder_AndTheRecordingIsReportedFailedNotStopped()
    {
        await using var harness = new GatewayHarness("srs-bye.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 3));

        // sipp exits 0 only if its BYE was answered 200.
        run.AssertPeersSucceeded();
        var uri = harness.Srs.Uri;
        Assert.Equal(200, run.Info("startCallRecording").StatusCode);
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Failed], run.RecorderEvents(uri).Select(e => e.Kind));
        Assert.Contains("BYE", run.RecorderEvents(uri)[1].Reason, StringComparison.Ordinal);
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Failed], run.RecordingEvents().Select(e => e.Kind));

        // The recording is gone, so the flow's later stop is told so (DESIGN §4.2), and the SRC sends no BYE of its own.
        var stop = run.Info("stopCallRecording");
        Assert.True(stop is { StatusCode: 400, Warning: "discarding stopCallRecording request because we are not recording" }, $"stop answer {stop}\n{run.Report()}");
        Assert.Empty(run.Srs.Requests("BYE"));
    }

    [SkippableFact]
    public async Task SrsBye_EndsOnlyThatRecorder_WhileTheOtherRecordsOnAndIsStopped()
    {
        await using var harness = new GatewayHarness("srs-bye.xml", "srs-accept.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 3));

        run.AssertPeersSucceeded();
        var leaving = harness.Srss[0].Uri;
        var staying = harness.Srss[1].Uri;
        Assert.Equal(200, run.Info("startCallRecording").StatusCode);
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Failed], run.RecorderEvents(leaving).Select(e => e.Kind));
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Stopped], run.RecorderEvents(staying).Select(e => e.Kind));
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Stopped], run.RecordingEvents().Select(e => e.Kind));
        Assert.Equal(200, run.Info("stopCallRecording").StatusCode);
        Assert.Single(run.Srss[1].Requests("BYE"));
        Assert.Empty(run.Srss[0].Requests("BYE"));
    }
}
