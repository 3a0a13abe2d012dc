using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// One field of a node (Cognigy descriptor <c>fields[]</c>): its key in the node's <c>config</c>, its editor type
/// (<see cref="NodeFieldTypes"/>), label, help text, default, parameters and the condition under which it shows.
/// </summary>
public sealed record NodeField
{
    /// <summary>The property name in the node's <c>config</c> (e.g. <c>recordingServer</c>).</summary>
    [JsonProperty(Order = 1)]
    public required string Key { get; init; }

    /// <summary>The editor type, one of <see cref="NodeFieldTypes"/>.</summary>
    [JsonProperty(Order = 2)]
    public required string Type { get; init; }

    /// <summary>The label shown above the field.</summary>
    [JsonProperty(Order = 3)]
    public required string Label { get; init; }

    /// <summary>Help text shown under the field.</summary>
    [JsonProperty(Order = 4)]
    public string? Description { get; init; }

    /// <summary>The value a new node starts with; omitted when none.</summary>
    [JsonProperty(Order = 5)]
    public JToken? DefaultValue { get; init; }

    /// <summary>Type-specific parameters (required flag, select options).</summary>
    [JsonProperty(Order = 6)]
    public NodeFieldParams? Params { get; init; }

    /// <summary>When set, the field is shown (and validated) only while the condition holds.</summary>
    [JsonProperty(Order = 7)]
    public NodeFieldCondition? Condition { get; init; }
}
