using Siprec.EndToEnd.Tests.Peers;
using Siprec.Recording;
using Siprec.Sip.Sdp;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>
/// The ways an SRS accepts a recording session (samples/sipp/srs-accept, -ringing, -multipart-answer, -no-labels),
/// each against the gateway: the start is answered 200, the SRS is reported accepted with its 200, media reaches
/// the ports of its answer by m-line position, and the stop ends the recording dialog with BYE.
/// </summary>
[Collection(SrsScenarioCollection.Name)]
public sealed class SrsAnswerTests
{
    [SkippableFact]
    public async Task Accept_IsReportedAsStartedAndStopped_WithTheSrsAccepted()
    {
        await using var harness = new GatewayHarness("srs-accept.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 2));

        run.AssertPeersSucceeded();
        AssertRecordedThenStopped(run, harness.Srs.Uri);
    }

    [SkippableFact]
    public async Task RingingThen200_IsReportedAccepted_WithTheFinal200NotTheProvisional()
    {
        await using var harness = new GatewayHarness("srs-ringing.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 2));

        run.AssertPeersSucceeded();
        AssertRecordedThenStopped(run, harness.Srs.Uri);
        Assert.DoesNotContain(run.Summary.RecorderOutcomes, o => o.StatusCode == 180);
    }

    [SkippableFact]
    public async Task MultipartAnswer_IsAccepted_AndBothStreamsGoToThePortsOfItsSdpPart()
    {
        await using var harness = new GatewayHarness("srs-multipart-answer.xml");
        var media = harness.Srs.MediaPort;
        using var label1 = await CaptureRtpAsync(harness, media);
        using var label2 = await CaptureRtpAsync(harness, media + 2);
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 3));

        run.AssertPeersSucceeded();
        AssertRecordedThenStopped(run, harness.Srs.Uri);
        await AssertStreamArrivedAsync(label1, media, "caller stream (label 1, first m-line)");
        await AssertStreamArrivedAsync(label2, media + 2, "bot stream (label 2, second m-line)");
    }

    [SkippableFact]
    public async Task AnswerWithoutLabels_IsAccepted_AndStreamsAreMatchedByMLinePosition()
    {
        await using var harness = new GatewayHarness("srs-no-labels.xml");
        var media = harness.Srs.MediaPort;
        using var label1 = await CaptureRtpAsync(harness, media);
        using var label2 = await CaptureRtpAsync(harness, media + 2);
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 3));

        run.AssertPeersSucceeded();
        AssertRecordedThenStopped(run, harness.Srs.Uri);
        var invite = SipTrace.Parse(Assert.Single(run.Srs.Requests("INVITE")));
        var offered = SipTrace.Streams(SipTrace.Sdp(invite) ?? throw new Xunit.Sdk.XunitException("the SIPREC INVITE has no SDP"));
        Assert.Equal(["1", "2"], offered.Select(s => s.Label));
        Assert.All(offered, s => Assert.Equal(SdpDirection.SendOnly, s.Direction));
        await AssertStreamArrivedAsync(label1, media, "caller stream (label 1, first m-line)");
        await AssertStreamArrivedAsync(label2, media + 2, "bot stream (label 2, second m-line)");
    }

    /// <summary>The outcome every accepting scenario reports: started (recorder and recording), stopped by request, nothing failed, BYE at the SRS.</summary>
    internal static void AssertRecordedThenStopped(ScenarioRun run, string srsUri)
    {
        var report = run.Report();
        var start = run.Info("startCallRecording");
        Assert.True(start is { StatusCode: 200, Warning: null }, $"start answer {start}\n{report}");
        var stop = run.Info("stopCallRecording");
        Assert.True(stop is { StatusCode: 200, Warning: null }, $"stop answer {stop}\n{report}");

        Assert.Contains(run.Summary.RecorderOutcomes, o => o.SrsUri == srsUri && o.Kind == SrsOutcomeKind.Accepted && o.StatusCode == 200);
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Stopped], run.RecorderEvents(srsUri).Select(e => e.Kind));
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Stopped], run.RecordingEvents().Select(e => e.Kind));
        Assert.Equal("200 OK", run.RecorderEvents(srsUri)[0].Reason);
        Assert.DoesNotContain(run.Summary.RecordingEvents, e => e.Kind == RecordingEventKind.Failed);

        var srs = run.Srss.Single(s => s.Peer.Uri == srsUri);
        Assert.Single(srs.Requests("INVITE"));
        Assert.Single(srs.Requests("BYE"));
    }

    // One capture per port, each stopping after its own 30 packets, so a slow stream cannot be crowded out by the other.
    private static async Task<LoopbackCapture> CaptureRtpAsync(GatewayHarness harness, int port)
    {
        var directory = Directory.CreateDirectory(Path.Combine(harness.WorkDirectory, $"rtp-{port}")).FullName;
        return await LoopbackCapture.StartAsync($"udp dst port {port}", stopAfterPackets: 30, TimeSpan.FromSeconds(20), directory);
    }

    private static async Task AssertStreamArrivedAsync(LoopbackCapture capture, int port, string stream)
    {
        await capture.WaitAsync(TimeSpan.FromSeconds(20));
        var rtp = await capture.CountRtpAsync(port);
        Assert.True(rtp.GetValueOrDefault(port) >= 20, $"{stream} RTP packets at the SRS port {port}: {rtp.GetValueOrDefault(port)}");
    }
}
