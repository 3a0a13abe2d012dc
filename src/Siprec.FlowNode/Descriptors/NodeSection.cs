using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>A collapsible group of fields in the node's form (Cognigy <c>sections[]</c>).</summary>
/// <param name="Key">The section's key, referenced from <see cref="NodeDescriptor.Form"/>.</param>
/// <param name="Label">The section title.</param>
/// <param name="DefaultCollapsed">True when the section starts folded.</param>
/// <param name="Fields">Keys of the fields inside, top to bottom.</param>
public sealed record NodeSection(
    [property: JsonProperty(Order = 1)] string Key,
    [property: JsonProperty(Order = 2)] string Label,
    [property: JsonProperty(Order = 3)] bool DefaultCollapsed,
    [property: JsonProperty(Order = 4)] IReadOnlyList<string> Fields);
