using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>One row of the node's form (Cognigy <c>form[]</c>): a field or a section, by key.</summary>
/// <param name="Type"><see cref="FieldType"/> or <see cref="SectionType"/>.</param>
/// <param name="Key">The key of that field or section.</param>
public sealed record NodeFormElement(
    [property: JsonProperty(Order = 1)] string Type,
    [property: JsonProperty(Order = 2)] string Key)
{
    /// <summary>The row shows a field.</summary>
    public const string FieldType = "field";

    /// <summary>The row shows a section.</summary>
    public const string SectionType = "section";

    /// <summary>A row for the field <paramref name="key"/>.</summary>
    public static NodeFormElement Field(string key) => new(FieldType, key);

    /// <summary>A row for the section <paramref name="key"/>.</summary>
    public static NodeFormElement Section(string key) => new(SectionType, key);
}
