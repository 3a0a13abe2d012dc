using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// A flow node as a designer UI sees it, in the shape of Cognigy's <c>createNodeDescriptor</c>: its type, label,
/// summary, look, fields, sections, form layout, preview and tags. Serialized by <see cref="DescriptorJson"/>.
/// </summary>
public sealed record NodeDescriptor
{
    /// <summary>The node type; equals the <c>type</c> of the node in flow JSON (e.g. <c>callRecording</c>).</summary>
    [JsonProperty(Order = 1)]
    public required string Type { get; init; }

    /// <summary>The label a new node gets in the flow editor.</summary>
    [JsonProperty(Order = 2)]
    public required string DefaultLabel { get; init; }

    /// <summary>One line shown in the node picker.</summary>
    [JsonProperty(Order = 3)]
    public required string Summary { get; init; }

    /// <summary>Colour and size of the node in the editor.</summary>
    [JsonProperty(Order = 4)]
    public required NodeAppearance Appearance { get; init; }

    /// <summary>The node's fields; each key is a property of the node's <c>config</c> in flow JSON.</summary>
    [JsonProperty(Order = 5)]
    public required IReadOnlyList<NodeField> Fields { get; init; }

    /// <summary>Collapsible groups of fields.</summary>
    [JsonProperty(Order = 6)]
    public IReadOnlyList<NodeSection> Sections { get; init; } = [];

    /// <summary>The edit form, top to bottom: fields and sections by key.</summary>
    [JsonProperty(Order = 7)]
    public required IReadOnlyList<NodeFormElement> Form { get; init; }

    /// <summary>Which field's value the node shows on the canvas.</summary>
    [JsonProperty(Order = 8)]
    public NodePreview? Preview { get; init; }

    /// <summary>Search tags of the node picker.</summary>
    [JsonProperty(Order = 9)]
    public IReadOnlyList<string> Tags { get; init; } = [];
}
