using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// Shows a field only while another field has a given value (Cognigy field <c>condition</c>
/// <c>{"key":…,"value":…}</c>); with <see cref="Negate"/>, only while it has not.
/// </summary>
/// <param name="Key">The key of the field the condition reads (e.g. <c>activity</c>).</param>
/// <param name="Value">The value that makes the condition true.</param>
public sealed record NodeFieldCondition(
    [property: JsonProperty(Order = 1)] string Key,
    [property: JsonProperty(Order = 2)] string Value)
{
    /// <summary>True inverts the condition; omitted from the JSON when not set.</summary>
    [JsonProperty(Order = 3)]
    public bool? Negate { get; init; }

    /// <summary>Whether the condition holds for a node <c>config</c> value of the field <see cref="Key"/>.</summary>
    public bool IsMetBy(string? value) => string.Equals(value?.Trim(), Value, StringComparison.Ordinal) != (Negate ?? false);
}
