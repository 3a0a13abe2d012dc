using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Testing;

/// <summary>What <see cref="NodeTestHost"/> observed: the node's result, the context afterwards and the log lines.</summary>
/// <param name="Result">The node's outcome, error, and for the Call Recording node the INFO sent and its answer.</param>
/// <param name="Context">The flow context after the node (e.g. <c>callRecording.state</c>, <c>lastError</c>); pass it to the next run to chain nodes.</param>
/// <param name="Logs">Everything the node logged, including CognigyScript warnings.</param>
public sealed record NodeTestResult(NodeResult Result, JObject Context, IReadOnlyList<NodeLogEntry> Logs)
{
    /// <summary>Everything the node passed to <see cref="INodeApi.Output"/>, in order (Voice Gateway runtime).</summary>
    public IReadOnlyList<JObject> Outputs { get; init; } = [];

    /// <summary>What the node wrote with <see cref="INodeApi.Log"/>: script warnings and its error, as a designer sees them in the flow log.</summary>
    public IReadOnlyList<NodeLogEntry> ApiLogs { get; init; } = [];

    /// <summary>The jambonz verb of the last output (<c>{"verb":"config","record":{…}}</c>), or null when none.</summary>
    public JObject? Verb => Outputs.Count == 0 ? null : VoiceGatewayOutput.Unwrap(Outputs[^1]);

    /// <summary>Shortcut for <see cref="NodeResult.Outcome"/>.</summary>
    public NodeOutcome Outcome => Result.Outcome;

    /// <summary>Shortcut for <see cref="NodeResult.Error"/>.</summary>
    public string? Error => Result.Error;

    /// <summary><c>context.callRecording.state</c> after the node: <c>off</c>, <c>on</c> or <c>paused</c>.</summary>
    public string RecordingState => CallRecordingState.Read(Context);

    /// <summary><c>context.callRecording.lastError</c> after the node, or null.</summary>
    public string? LastError => (string?)Context[CallRecordingState.ContextKey]?["lastError"];
}
