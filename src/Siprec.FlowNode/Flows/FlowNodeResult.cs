namespace Siprec.FlowNode.Flows;

/// <summary>How one node of a flow run ended.</summary>
/// <param name="Index">The node's position in the flow (0-based).</param>
/// <param name="Type">The node's type.</param>
/// <param name="Outcome">Succeeded, failed or cancelled.</param>
/// <param name="Error">Why it failed or was cancelled; null on success.</param>
public sealed record FlowNodeResult(int Index, string Type, NodeOutcome Outcome, string? Error);
