namespace Siprec.FlowNode.Descriptors;

/// <summary>The field editor types this toolkit's descriptors use (names as in Cognigy's extension SDK).</summary>
public static class NodeFieldTypes
{
    /// <summary>A drop-down of <see cref="NodeFieldParams.Options"/>; the value is the chosen option's value.</summary>
    public const string Select = "select";

    /// <summary>Text that may hold CognigyScript <c>{{ expr }}</c> segments, evaluated when the node runs.</summary>
    public const string CognigyText = "cognigyText";

    /// <summary>Every type a descriptor may use.</summary>
    public static IReadOnlyList<string> All { get; } = [Select, CognigyText];
}
