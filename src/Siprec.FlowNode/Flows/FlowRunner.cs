using Microsoft.Extensions.Logging;

namespace Siprec.FlowNode.Flows;

/// <summary>
/// Runs a flow's nodes in order on one call. A failed node is logged and recorded and the flow goes on, as
/// Cognigy does; a hang-up or a cancellation ends the run.
/// </summary>
public sealed class FlowRunner
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallRecordingNode _recordingNode;

    /// <summary>Creates a runner with default Call Recording node options.</summary>
    public FlowRunner(TimeProvider time, ILoggerFactory loggerFactory)
        : this(time, loggerFactory, new CallRecordingNodeOptions())
    {
    }

    /// <summary>Creates a runner whose wait nodes use <paramref name="time"/> and whose Call Recording nodes use <paramref name="recordingOptions"/>.</summary>
    public FlowRunner(TimeProvider time, ILoggerFactory loggerFactory, CallRecordingNodeOptions recordingOptions)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(recordingOptions);
        _time = time;
        _logger = loggerFactory.CreateLogger<FlowRunner>();
        _recordingNode = new CallRecordingNode(recordingOptions, loggerFactory);
    }

    /// <summary>
    /// Runs <paramref name="flow"/> on <paramref name="call"/> without a node api (enough for the
    /// <see cref="FlowRuntime.Gateway"/> runtime). Does not throw for node failures or cancellation: both are in the
    /// result. <paramref name="inputs"/>.Context is updated in place.
    /// </summary>
    public Task<FlowRunResult> RunAsync(FlowDefinition flow, ICallControl call, FlowInputs inputs, CancellationToken ct) =>
        RunAsync(flow, call, inputs, null, ct);

    /// <summary>
    /// Runs <paramref name="flow"/> on <paramref name="call"/> in the flow's <see cref="FlowDefinition.Runtime"/>, giving
    /// nodes <paramref name="api"/> (required by <see cref="FlowRuntime.VoiceGateway2"/> flows, whose recording nodes fail
    /// without it). Does not throw for node failures or cancellation: both are in the result.
    /// </summary>
    public async Task<FlowRunResult> RunAsync(FlowDefinition flow, ICallControl call, FlowInputs inputs, INodeApi? api, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(inputs);
        Log.FlowStarted(_logger, flow.Name, call.CallSid, flow.Nodes.Count);
        var results = new List<FlowNodeResult>(flow.Nodes.Count);
        for (var i = 0; i < flow.Nodes.Count; i++)
        {
            var node = flow.Nodes[i];
            var result = await ExecuteNodeAsync(node, i, call, inputs, flow.Runtime, api, ct).ConfigureAwait(false);
            results.Add(new FlowNodeResult(i, node.Type, result.Outcome, result.Error));
            if (result.Outcome == NodeOutcome.Cancelled)
            {
                Log.FlowCancelled(_logger, flow.Name, i, node.Type);
                break;
            }
            if (result.Outcome == NodeOutcome.Failed) Log.FlowNodeFailed(_logger, flow.Name, i, node.Type, result.Error ?? "unknown error");
            if (node.Type == FlowNodeDefinition.HangUp && result.Succeeded) break;
        }
        Log.FlowEnded(_logger, flow.Name, call.CallSid, results.Count);
        return new FlowRunResult(flow.Name, results);
    }

    /// <summary>Runs one node; shared by the flow run and the node test host (package Siprec.FlowNode.Testing).</summary>
    internal async Task<NodeResult> ExecuteNodeAsync(FlowNodeDefinition node, int index, ICallControl call, FlowInputs inputs,
        FlowRuntime runtime, INodeApi? api, CancellationToken ct)
    {
        try
        {
            ct.ThrowIfCancellationRequested();
            switch (node.Type)
            {
                case FlowNodeDefinition.CallRecording:
                    return await _recordingNode.ExecuteAsync(CallRecordingNodeConfig.FromJson(node.Config), call, inputs, runtime, api, ct).ConfigureAwait(false);
                case FlowNodeDefinition.Play:
                    var prompt = (string?)node.Config["prompt"];
                    if (string.IsNullOrWhiteSpace(prompt)) return NodeResult.Failure("play: config.prompt is missing");
                    await call.PlayAsync(prompt, ct).ConfigureAwait(false);
                    return NodeResult.Success;
                case FlowNodeDefinition.Wait:
                    await Task.Delay(FlowDefinition.ReadSeconds(node.Config, index), _time, ct).ConfigureAwait(false);
                    return NodeResult.Success;
                case FlowNodeDefinition.HangUp:
                    await call.HangUpAsync(ct).ConfigureAwait(false);
                    return NodeResult.Success;
                default:
                    return NodeResult.Failure($"unknown node type '{node.Type}'");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new NodeResult(NodeOutcome.Cancelled, $"{node.Type} cancelled");
        }
        catch (FormatException ex)
        {
            return NodeResult.Failure(ex.Message);
        }
#pragma warning disable CA1031 // a node's failure (prompt missing, call gone) is recorded and the flow goes on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return NodeResult.Failure($"{node.Type} failed: {ex.Message}");
        }
    }
}
