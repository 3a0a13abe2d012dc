using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Nodes;
using Siprec.FlowNode.Flows;
using Siprec.FlowNode.Testing;

namespace Siprec.FlowNode.Tests.Flows;

public sealed class VoiceGatewayRuntimeTests
{
    private static readonly NodeTestHost Host = new() { Runtime = FlowRuntime.VoiceGateway2, AccountSid = "AC-1" };

    private static JObject Config(string activity, string? server = null, string? id = null)
    {
        var config = new JObject { ["activity"] = activity };
        if (server is not null) config["recordingServer"] = server;
        if (id is not null) config["recordingId"] = id;
        return config;
    }

    private static JObject WithState(string state) => new() { ["callRecording"] = new JObject { ["state"] = state } };

    [Fact]
    public async Task Start_OutputsTheConfigRecordVerb_WithAServerArrayAndTheRecordingId()
    {
        var call = new TestCall();
        var context = JObject.Parse("{\"srsList\":[\"sip:a@127.0.0.1\",\"sip:b@127.0.0.1:5070\"],\"caseId\":\"rec-7\"}");

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "{{ cc.srsList.join(',') }}", "{{ cc.caseId }}"), call.Object, context: context);

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        var output = Assert.Single(result.Outputs);
        Assert.Equal(
            "{\"_cognigy\":{\"_voiceGateway2\":{\"json\":{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\"," +
            "\"siprecServerURL\":[\"sip:a@127.0.0.1\",\"sip:b@127.0.0.1:5070\"],\"recordingID\":\"rec-7\"}}}}}",
            output.ToString(Formatting.None));
        Assert.Equal(output, result.Result.Output, JToken.EqualityComparer);
        Assert.Empty(call.Infos);
        Assert.Equal("on", result.RecordingState);
        Assert.Equal("rec-7", (string?)result.Context["callRecording"]!["recordingId"]);
    }

    [Fact]
    public async Task Start_WithOneServer_WritesSiprecServerUrlAsAString_AndOmitsAnEmptyId()
    {
        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1", "{{ cc.none }}"), new TestCall().Object);

        Assert.Equal("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":\"sip:a@127.0.0.1\"}}",
            result.Verb!.ToString(Formatting.None));
        Assert.Contains(result.ApiLogs, l => l.Level == LogLevel.Warning && l.Message.Contains("recordingId") && l.Message.Contains("undefined"));
    }

    [Theory]
    [InlineData("stopCallRecording", "on", "off")]
    [InlineData("pauseCallRecording", "on", "paused")]
    [InlineData("resumeCallRecording", "paused", "on")]
    public async Task OtherActivities_OutputOnlyTheAction_AndMoveTheState(string activity, string from, string to)
    {
        var result = await Host.RunAsync("callRecording", Config(activity), new TestCall().Object, context: WithState(from));

        Assert.Equal($"{{\"verb\":\"config\",\"record\":{{\"action\":\"{activity}\"}}}}", result.Verb!.ToString(Formatting.None));
        Assert.Equal(to, result.RecordingState);
        Assert.True(JambonzRecordVerb.TryParse(result.Verb, 4, out var parsed, out _));
        Assert.Equal(activity, RecordingActionNames.ToName(parsed!.Action));
    }

    [Fact]
    public async Task StateGuards_ApplyToo_AndTheErrorGoesToTheApiLog()
    {
        var api = new Mock<INodeApi>();
        var result = await new NodeTestHost { Runtime = FlowRuntime.VoiceGateway2, Api = api.Object }
            .RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1"), new TestCall().Object, context: WithState("on"));

        Assert.Equal("Cannot start recording when recording is already started", result.Error);
        Assert.Empty(result.Outputs);
        api.Verify(a => a.Output(It.IsAny<JObject>()), Times.Never);
        api.Verify(a => a.Log(LogLevel.Error, "Cannot start recording when recording is already started"), Times.Once);
    }

    [Fact]
    public async Task NonSipServer_IsRefusedBeforeAnyOutput()
    {
        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "wss://x"), new TestCall().Object);

        Assert.Equal("Call Recording Server (recordingServer): X-Srs-Url accepts only sip: or sips: URIs: wss://x", result.Error);
        Assert.Empty(result.Outputs);
    }

    [Fact]
    public async Task WithoutAnApi_TheNodeFails_SayingTheHostGaveNone()
    {
        var node = new CallRecordingNode(new CallRecordingNodeOptions(), NullLoggerFactory.Instance);
        var inputs = new FlowInputs { Context = WithState("on") };

        var result = await node.ExecuteAsync(new CallRecordingNodeConfig { Activity = "stopCallRecording" }, new TestCall().Object, inputs,
            FlowRuntime.VoiceGateway2, null, CancellationToken.None);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal("stopCallRecording: the voiceGateway2 runtime outputs a jambonz verb through the node api, and the host gave none", result.Error);
        Assert.Equal("on", (string?)inputs.Context["callRecording"]!["state"]);
    }

    [Fact]
    public async Task AnApiThatThrows_IsReportedNotThrown()
    {
        var api = new Mock<INodeApi>();
        api.Setup(a => a.Output(It.IsAny<JObject>())).Throws(new InvalidOperationException("socket closed"));

        var result = await new NodeTestHost { Runtime = FlowRuntime.VoiceGateway2, Api = api.Object }
            .RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1"), new TestCall().Object);

        Assert.Equal("startCallRecording: api.output failed: socket closed", result.Error);
        Assert.Equal("off", result.RecordingState);
    }
}
