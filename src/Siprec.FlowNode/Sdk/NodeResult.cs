using Newtonsoft.Json.Linq;
using Siprec.Control;

namespace Siprec.FlowNode.Sdk;

/// <summary>What a node run produced: its outcome and error text, and for the Call Recording node the INFO and its answer or the Voice Gateway output.</summary>
/// <param name="Outcome">Succeeded, failed or cancelled.</param>
/// <param name="Error">Why it failed (also in <c>context.callRecording.lastError</c> for the Call Recording node); null on success.</param>
public sealed record NodeResult(NodeOutcome Outcome, string? Error)
{
    /// <summary>The INFO the node sent, or null when it failed before sending.</summary>
    public InfoRequestContent? Info { get; init; }

    /// <summary>The answer to that INFO, or null when none arrived.</summary>
    public InfoAnswer? Answer { get; init; }

    /// <summary>
    /// In the <see cref="FlowRuntime.VoiceGateway2"/> runtime, what the node passed to <see cref="INodeApi.Output"/>:
    /// <c>{"_cognigy":{"_voiceGateway2":{"json":{"verb":"config","record":{…}}}}}</c>; null otherwise.
    /// </summary>
    public JObject? Output { get; init; }

    /// <summary>True for <see cref="NodeOutcome.Succeeded"/>.</summary>
    public bool Succeeded => Outcome == NodeOutcome.Succeeded;

    /// <summary>A success without INFO (play, wait, hang up).</summary>
    public static NodeResult Success { get; } = new(NodeOutcome.Succeeded, null);

    /// <summary>A failure with its message.</summary>
    public static NodeResult Failure(string error) => new(NodeOutcome.Failed, error);
}
