using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Flows;

/// <summary>
/// The data a flow sees, in Cognigy's shape: <c>input</c> (this turn), <c>context</c> (the session, mutated
/// by nodes, e.g. <c>context.callRecording</c>) and <c>profile</c> (the contact), plus the SIDs sent on INFOs.
/// </summary>
public sealed record FlowInputs
{
    /// <summary>The input object (<c>ci</c> in CognigyScript).</summary>
    public JObject Input { get; init; } = new();

    /// <summary>The flow context (<c>cc</c>); nodes write their state into it, so it is the same instance throughout a run.</summary>
    public JObject Context { get; init; } = new();

    /// <summary>The contact profile (<c>cp</c>).</summary>
    public JObject Profile { get; init; } = new();

    /// <summary>Sent as <c>X-Account-Sid</c>; omitted when null or empty.</summary>
    public string? AccountSid { get; init; }

    /// <summary>Sent as <c>X-Application-Sid</c>; omitted when null or empty.</summary>
    public string? ApplicationSid { get; init; }
}
