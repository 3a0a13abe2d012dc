using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>How the node looks in the flow editor (Cognigy <c>appearance</c>).</summary>
/// <param name="Color">Background colour as <c>#rrggbb</c>.</param>
/// <param name="TextColor">Label colour as <c>#rrggbb</c>.</param>
/// <param name="Variant"><c>regular</c> (label and preview) or <c>mini</c> (icon only).</param>
public sealed record NodeAppearance(
    [property: JsonProperty(Order = 1)] string Color,
    [property: JsonProperty(Order = 2)] string TextColor,
    [property: JsonProperty(Order = 3)] string Variant);
