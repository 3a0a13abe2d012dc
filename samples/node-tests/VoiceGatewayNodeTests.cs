using Moq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Flows;
using Siprec.FlowNode.Testing;

namespace MyFlow.Tests;

/// <summary>
/// The same nodes when our flow runs on Cognigy Voice Gateway (jambonz): the node does not send an INFO but passes the
/// jambonz <c>config.record</c> verb to <c>api.output</c>. Mock the api, or read <c>result.Outputs</c> / <c>result.Verb</c>.
/// </summary>
public sealed class VoiceGatewayNodeTests
{
    private static readonly JObject FlowContext = JObject.Parse("""
        { "srsList": ["sip:recorder-1@10.1.0.10", "sip:recorder-2@10.1.0.11"], "recordingId": "case-4711" }
        """);

    private readonly Mock<INodeApi> _api = new();
    private readonly Mock<ICallControl> _call = new(MockBehavior.Strict);   // strict: any INFO would fail the test
    private readonly NodeTestHost _host;

    public VoiceGatewayNodeTests()
    {
        _call.Setup(c => c.CallSid).Returns("CA-test-call");
        _host = new NodeTestHost { Runtime = FlowRuntime.VoiceGateway2, Api = _api.Object };
    }

    [Fact]
    public async Task StartNode_OutputsTheRecordVerb_ForBothRecorders()
    {
        var result = await _host.RunAsync("callRecording", JObject.Parse("""
            { "activity": "startCallRecording",
              "recordingServer": "{{ cc.srsList.join(',') }}",
              "recordingId": "{{ cc.recordingId }}" }
            """), _call.Object, context: FlowContext);

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        Assert.Equal("""{"verb":"config","record":{"action":"startCallRecording","siprecServerURL":["sip:recorder-1@10.1.0.10","sip:recorder-2@10.1.0.11"],"recordingID":"case-4711"}}""",
            result.Verb!.ToString(Formatting.None));
        _api.Verify(a => a.Output(It.Is<JObject>(o => o["_cognigy"]!["_voiceGateway2"]!["json"]!["verb"]!.ToString() == "config")), Times.Once);
    }

    [Fact]
    public async Task PauseAndResume_AroundTheCardNumber_KeepTheStateInTheContext()
    {
        var started = await _host.RunAsync("callRecording", JObject.Parse("""{ "activity": "startCallRecording", "recordingServer": "sip:recorder-1@10.1.0.10" }"""),
            _call.Object, context: FlowContext);
        var paused = await _host.RunAsync("callRecording", JObject.Parse("""{ "activity": "pauseCallRecording" }"""), _call.Object, context: started.Context);
        var resumed = await _host.RunAsync("callRecording", JObject.Parse("""{ "activity": "resumeCallRecording" }"""), _call.Object, context: paused.Context);

        Assert.Equal("paused", paused.RecordingState);
        Assert.Equal("on", resumed.RecordingState);
        Assert.Equal("""{"verb":"config","record":{"action":"pauseCallRecording"}}""", paused.Verb!.ToString(Formatting.None));
    }
}
