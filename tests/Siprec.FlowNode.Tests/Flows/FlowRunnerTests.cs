using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Newtonsoft.Json.Linq;
using Siprec.Testing;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Flows;

namespace Siprec.FlowNode.Tests.Flows;

public sealed class FlowRunnerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static FlowInputs SampleInputs() => new()
    {
        Context = JObject.Parse("{\"srsList\":[\"sip:srs1@127.0.0.1:5070\",\"sip:srs2@127.0.0.1:5072\"],\"recordingId\":\"demo-1\"}"),
        AccountSid = "AC-demo",
        ApplicationSid = "AP-demo",
    };

    [Fact]
    public async Task RunAsync_ExecutesTheSampleFlowInOrder_AgainstAMockCall()
    {
        var time = new ManualTimeProvider();
        var call = new TestCall();
        var flow = FlowDefinition.Load(Path.Combine(RepoPaths.Samples, "flows", "record-call.json"));
        var inputs = SampleInputs();
        var runner = new FlowRunner(time, NullLoggerFactory.Instance);

        var run = runner.RunAsync(flow, call.Object, inputs, CancellationToken.None);
        // The mock answers synchronously, so the run is parked on the wait node's timer now.
        Assert.False(run.IsCompleted);
        Assert.Equal(["info:startCallRecording", "play:welcome", "info:pauseCallRecording", "play:card-number", "info:resumeCallRecording"], call.Events);
        Assert.Equal(1, time.ActiveTimerCount);

        time.Advance(TimeSpan.FromSeconds(2));
        var result = await run.WaitAsync(Bound);

        Assert.Equal(
        [
            "info:startCallRecording", "play:welcome", "info:pauseCallRecording", "play:card-number",
            "info:resumeCallRecording", "info:stopCallRecording", "play:goodbye", "hangUp",
        ], call.Events);
        Assert.True(result.AllSucceeded);
        Assert.Equal(9, result.Nodes.Count);
        Assert.Equal("sip:srs1@127.0.0.1:5070,sip:srs2@127.0.0.1:5072", call.Infos[0].GetHeader("X-Srs-Url"));
        Assert.Equal("demo-1", call.Infos[0].GetHeader("X-Srs-Recording-ID"));
        Assert.All(call.Infos, i => Assert.Equal("AC-demo", i.GetHeader("X-Account-Sid")));
        Assert.Equal("off", (string?)inputs.Context["callRecording"]!["state"]);
    }

    [Fact]
    public async Task RunAsync_WaitsNoShorterThanConfigured()
    {
        var time = new ManualTimeProvider();
        var call = new TestCall();
        var flow = FlowDefinition.Parse("{\"nodes\":[{\"type\":\"wait\",\"config\":{\"seconds\":2}},{\"type\":\"hangUp\"}]}");

        var run = new FlowRunner(time, NullLoggerFactory.Instance).RunAsync(flow, call.Object, new FlowInputs(), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Empty(call.Events);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await run.WaitAsync(Bound);

        Assert.Equal(["hangUp"], call.Events);
    }

    [Fact]
    public async Task RunAsync_RecordsANodeFailure_AndContinues()
    {
        var call = new TestCall(503, "Service Unavailable", "399 gw \"every SRS failed\"");
        var flow = FlowDefinition.Parse("""
            {"nodes":[
              {"type":"callRecording","config":{"activity":"startCallRecording","recordingServer":"sip:srs@127.0.0.1"}},
              {"type":"play","config":{"prompt":"welcome"}},
              {"type":"callRecording","config":{"activity":"stopCallRecording"}},
              {"type":"hangUp"}]}
            """);
        var inputs = new FlowInputs();

        var result = await new FlowRunner(TimeProvider.System, NullLoggerFactory.Instance).RunAsync(flow, call.Object, inputs, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal([NodeOutcome.Failed, NodeOutcome.Succeeded, NodeOutcome.Failed, NodeOutcome.Succeeded], result.Nodes.Select(n => n.Outcome));
        Assert.Equal("startCallRecording refused: INFO answered 503 Service Unavailable: every SRS failed", result.Nodes[0].Error);
        Assert.Equal("Cannot stop recording when recording is off: it was not started", result.Nodes[2].Error);
        Assert.Equal(result.Nodes[2].Error, (string?)inputs.Context["callRecording"]!["lastError"]);
        Assert.Equal(["info:startCallRecording", "play:welcome", "hangUp"], call.Events);
        Assert.False(result.AllSucceeded);
    }

    [Fact]
    public async Task RunAsync_RecordsAPlayException_AndContinues()
    {
        var call = new TestCall();
        call.Mock.Setup(c => c.PlayAsync("missing", It.IsAny<CancellationToken>())).ThrowsAsync(new FileNotFoundException("prompt-missing.wav not found"));
        var flow = FlowDefinition.Parse("{\"nodes\":[{\"type\":\"play\",\"config\":{\"prompt\":\"missing\"}},{\"type\":\"hangUp\"}]}");

        var result = await new FlowRunner(TimeProvider.System, NullLoggerFactory.Instance).RunAsync(flow, call.Object, new FlowInputs(), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("play failed: prompt-missing.wav not found", result.Nodes[0].Error);
        Assert.Equal(NodeOutcome.Succeeded, result.Nodes[1].Outcome);
    }

    [Fact]
    public async Task RunAsync_StopsAfterHangUp()
    {
        var call = new TestCall();
        var flow = FlowDefinition.Parse("{\"nodes\":[{\"type\":\"hangUp\"},{\"type\":\"play\",\"config\":{\"prompt\":\"late\"}}]}");

        var result = await new FlowRunner(TimeProvider.System, NullLoggerFactory.Instance).RunAsync(flow, call.Object, new FlowInputs(), CancellationToken.None).WaitAsync(Bound);

        Assert.Single(result.Nodes);
        Assert.Equal(["hangUp"], call.Events);
    }

    [Fact]
    public async Task RunAsync_ReportsCancellation_AndStops()
    {
        var time = new ManualTimeProvider();
        var call = new TestCall();
        var flow = FlowDefinition.Parse("{\"nodes\":[{\"type\":\"wait\",\"config\":{\"seconds\":30}},{\"type\":\"hangUp\"}]}");
        using var cts = new CancellationTokenSource();

        var run = new FlowRunner(time, NullLoggerFactory.Instance).RunAsync(flow, call.Object, new FlowInputs(), cts.Token);
        await cts.CancelAsync();
        var result = await run.WaitAsync(Bound);

        Assert.True(result.Cancelled);
        Assert.Equal(NodeOutcome.Cancelled, Assert.Single(result.Nodes).Outcome);
        Assert.Empty(call.Events);
    }
}
