using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>What the node shows on the canvas under its label (Cognigy <c>preview</c>).</summary>
/// <param name="Key">The field whose value is shown.</param>
/// <param name="Type">How it is shown; <c>text</c>.</param>
public sealed record NodePreview(
    [property: JsonProperty(Order = 1)] string Key,
    [property: JsonProperty(Order = 2)] string Type);
