using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>One choice of a select field.</summary>
/// <param name="Label">What the designer sees.</param>
/// <param name="Value">What goes into the node's <c>config</c>.</param>
public sealed record NodeFieldOption(
    [property: JsonProperty(Order = 1)] string Label,
    [property: JsonProperty(Order = 2)] string Value);
