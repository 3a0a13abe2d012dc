namespace Siprec.FlowNode.Flows;

/// <summary>The record of a flow run: one entry per node that ran, in order.</summary>
/// <param name="FlowName">The flow's name.</param>
/// <param name="Nodes">The nodes that ran; nodes after a hang-up or a cancellation are absent.</param>
public sealed record FlowRunResult(string FlowName, IReadOnlyList<FlowNodeResult> Nodes)
{
    /// <summary>True when every node that ran succeeded.</summary>
    public bool AllSucceeded => Nodes.All(n => n.Outcome == NodeOutcome.Succeeded);

    /// <summary>True when the run stopped because it was cancelled.</summary>
    public bool Cancelled => Nodes.Any(n => n.Outcome == NodeOutcome.Cancelled);
}
