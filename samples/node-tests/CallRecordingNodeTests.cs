using Moq;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Testing;

namespace MyFlow.Tests;

/// <summary>
/// Unit tests for the Call Recording nodes of our flow. Each test runs the node as the flow would, against a
/// mocked call, and checks the INFO it sends and what it leaves in the context.
/// </summary>
public sealed class CallRecordingNodeTests
{
    // Our flow's context as the previous nodes leave it.
    private static readonly JObject FlowContext = JObject.Parse("""
        { "srsList": ["sip:recorder-1@10.1.0.10", "sip:recorder-2@10.1.0.11"], "recordingId": "case-4711" }
        """);

    private readonly NodeTestHost _host = new() { AccountSid = "AC-our-account", ApplicationSid = "AP-our-bot" };
    private readonly Mock<ICallControl> _call = new();
    private readonly List<InfoRequestContent> _sent = [];

    public CallRecordingNodeTests()
    {
        _call.Setup(c => c.CallSid).Returns("CA-test-call");
        _call.Setup(c => c.SendInfoAsync(It.IsAny<InfoRequestContent>(), It.IsAny<CancellationToken>()))
             .Callback<InfoRequestContent, CancellationToken>((info, _) => _sent.Add(info))
             .ReturnsAsync(new InfoAnswer(200, "OK", null));
    }

    [Fact]
    public async Task StartNode_SendsBothRecorders_AndOurRecordingId()
    {
        var result = await _host.RunAsync("callRecording", JObject.Parse("""
            { "activity": "startCallRecording",
              "recordingServer": "{{ cc.srsList.join(',') }}",
              "recordingId": "{{ cc.recordingId }}" }
            """), _call.Object, context: FlowContext);

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        Assert.Equal("on", result.RecordingState);
        var info = Assert.Single(_sent);
        Assert.Equal("startCallRecording", info.GetHeader("X-Reason"));
        Assert.Equal("sip:recorder-1@10.1.0.10,sip:recorder-2@10.1.0.11", info.GetHeader("X-Srs-Url"));
        Assert.Equal("case-4711", info.GetHeader("X-Srs-Recording-ID"));
    }

    [Fact]
    public async Task StartNode_RefusedByTheGateway_FailsWithItsWarning_NoMockingLibraryNeeded()
    {
        // CapturingCallControl (in Siprec.FlowNode.Testing) keeps every INFO and answers as you tell it.
        var call = new CapturingCallControl
        {
            Answer = _ => new InfoAnswer(503, "Service Unavailable", "399 gw \"Error starting SipRec call recording: no SRS answered\""),
        };

        var result = await _host.RunCallRecordingAsync(
            new() { Activity = "startCallRecording", RecordingServer = "{{ cc.srsList.join(',') }}" }, call, context: FlowContext);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal("off", result.RecordingState);
        Assert.Contains("no SRS answered", result.LastError);
        Assert.Equal(["info:startCallRecording"], call.Events);
    }

    [Fact]
    public async Task StartNode_ReportsATypoInTheServerScript()
    {
        var result = await _host.RunAsync("callRecording", JObject.Parse("""
            { "activity": "startCallRecording", "recordingServer": "{{ cc.srsLits.join(',') }}" }
            """), _call.Object, context: FlowContext);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Contains("recordingServer", result.LastError);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task PauseNode_AfterStart_PausesTheRecording()
    {
        var started = await _host.RunAsync("callRecording",
            JObject.Parse("""{ "activity": "startCallRecording", "recordingServer": "sip:recorder-1@10.1.0.10" }"""), _call.Object, context: FlowContext);

        var paused = await _host.RunAsync("callRecording", JObject.Parse("""{ "activity": "pauseCallRecording" }"""), _call.Object, context: started.Context);

        Assert.Equal("paused", paused.RecordingState);
        Assert.Equal("pauseCallRecording", _sent[1].GetHeader("X-Reason"));
    }
}
