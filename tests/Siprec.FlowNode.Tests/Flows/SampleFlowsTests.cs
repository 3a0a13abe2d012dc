using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Newtonsoft.Json.Linq;
using Siprec.Testing;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Flows;

namespace Siprec.FlowNode.Tests.Flows;

public sealed class SampleFlowsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static FlowDefinition Sample(string name) => FlowDefinition.Load(Path.Combine(RepoPaths.Samples, "flows", name));

    private static async Task<(FlowRunResult Run, TestCall Call, FlowInputs Inputs)> RunAsync(string name, string context)
    {
        var call = new TestCall();
        var inputs = new FlowInputs { Context = JObject.Parse(context) };
        var run = await new FlowRunner(new ManualTimeProvider(), NullLoggerFactory.Instance)
            .RunAsync(Sample(name), call.Object, inputs, CancellationToken.None).WaitAsync(Bound);
        return (run, call, inputs);
    }

    [Fact]
    public void EverySampleFlow_Loads()
    {
        var names = Directory.GetFiles(Path.Combine(RepoPaths.Samples, "flows"), "*.json").Select(p => Path.GetFileName(p)).Order().ToArray();

        Assert.Equal(["parallel-recorders.json", "record-call.json", "single-recorder.json", "srs-from-context.json", "voice-gateway.json"], names);
        Assert.All(names, n => Assert.Contains(Sample(n).Nodes, node => node.Type == FlowNodeDefinition.CallRecording));
    }

    [Fact]
    public async Task SingleRecorder_StartsOneRecorder_ThenStops()
    {
        var (run, call, inputs) = await RunAsync("single-recorder.json", "{}");

        Assert.True(run.AllSucceeded);
        Assert.Equal(["info:startCallRecording", "play:welcome", "info:stopCallRecording", "play:goodbye", "hangUp"], call.Events);
        Assert.Equal("sip:recorder@127.0.0.1:5080", call.Infos[0].GetHeader("X-Srs-Url"));
        Assert.Null(call.Infos[0].GetHeader("X-Srs-Recording-ID"));
        Assert.Equal("off", (string?)inputs.Context["callRecording"]!["state"]);
    }

    [Fact]
    public async Task ParallelRecorders_ListsBothServers_AndBuildsTheIdFromTextAndScript()
    {
        var (run, call, _) = await RunAsync("parallel-recorders.json", "{\"caseId\":\"4711\"}");

        Assert.True(run.AllSucceeded);
        Assert.Equal("sip:srs1@127.0.0.1:5070,sip:srs2@127.0.0.1:5072", call.Infos[0].GetHeader("X-Srs-Url"));
        Assert.Equal("parallel-4711", call.Infos[0].GetHeader("X-Srs-Recording-ID"));
    }

    [Theory]
    [InlineData("{\"srsList\":[\"sip:a@127.0.0.1\",\"sip:b@127.0.0.1\"],\"defaultSrs\":\"sip:d@127.0.0.1\",\"caseId\":\"c-1\"}", "sip:a@127.0.0.1,sip:b@127.0.0.1")]
    [InlineData("{\"srsList\":[],\"defaultSrs\":\"sip:d@127.0.0.1\",\"caseId\":\"c-1\"}", "sip:d@127.0.0.1")]
    [InlineData("{\"defaultSrs\":\"sip:d@127.0.0.1\",\"caseId\":\"c-1\"}", "sip:d@127.0.0.1")]
    public async Task SrsFromContext_TakesTheListOrFallsBackToTheDefault(string context, string expected)
    {
        var (run, call, _) = await RunAsync("srs-from-context.json", context);

        Assert.True(run.AllSucceeded);
        Assert.Equal(expected, call.Infos[0].GetHeader("X-Srs-Url"));
        Assert.Equal("c-1", call.Infos[0].GetHeader("X-Srs-Recording-ID"));
    }

    [Fact]
    public async Task SrsFromContext_FailsTheStartNamingTheField_WhenTheContextHasNoServer()
    {
        var (run, call, inputs) = await RunAsync("srs-from-context.json", "{}");

        Assert.False(run.AllSucceeded);
        Assert.StartsWith("startCallRecording request is missing X-Srs-Url header: Call Recording Server (recordingServer)", run.Nodes[0].Error);
        Assert.Equal("Cannot stop recording when recording is off: it was not started", run.Nodes[2].Error);
        Assert.Equal(["play:welcome", "play:goodbye", "hangUp"], call.Events);
        Assert.Equal(run.Nodes[2].Error, (string?)inputs.Context["callRecording"]!["lastError"]);
    }

    [Fact]
    public async Task VoiceGateway_EmitsOneVerbPerRecordingNode_AndSendsNoInfo()
    {
        var call = new TestCall();
        var outputs = new List<JObject>();
        var api = new Mock<INodeApi>();
        api.Setup(a => a.Output(It.IsAny<JObject>())).Callback<JObject>(outputs.Add);
        var inputs = new FlowInputs { Context = JObject.Parse("{\"srsList\":[\"sip:a@127.0.0.1\"],\"caseId\":\"c-9\"}") };

        var run = await new FlowRunner(new ManualTimeProvider(), NullLoggerFactory.Instance)
            .RunAsync(Sample("voice-gateway.json"), call.Object, inputs, api.Object, CancellationToken.None).WaitAsync(Bound);

        Assert.True(run.AllSucceeded);
        Assert.Empty(call.Infos);
        Assert.Equal(["startCallRecording", "pauseCallRecording", "resumeCallRecording", "stopCallRecording"],
            outputs.Select(o => (string?)o["_cognigy"]!["_voiceGateway2"]!["json"]!["record"]!["action"]));
        Assert.Equal("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":\"sip:a@127.0.0.1\",\"recordingID\":\"c-9\"}}",
            outputs[0]["_cognigy"]!["_voiceGateway2"]!["json"]!.ToString(Newtonsoft.Json.Formatting.None));
        api.Verify(a => a.Log(LogLevel.Error, It.IsAny<string>()), Times.Never);
    }
}
