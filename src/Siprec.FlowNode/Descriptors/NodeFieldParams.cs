using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>A field's parameters (Cognigy <c>params</c>): whether it must be filled and, for a select, its options.</summary>
public sealed record NodeFieldParams
{
    /// <summary>True when the editor refuses to save the node with the field empty (while its condition holds).</summary>
    [JsonProperty(Order = 1)]
    public bool? Required { get; init; }

    /// <summary>The choices of a <see cref="NodeFieldTypes.Select"/> field, in display order.</summary>
    [JsonProperty(Order = 2)]
    public IReadOnlyList<NodeFieldOption>? Options { get; init; }
}
