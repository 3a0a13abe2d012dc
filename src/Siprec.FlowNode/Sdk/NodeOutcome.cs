namespace Siprec.FlowNode.Sdk;

/// <summary>How one node run ended.</summary>
public enum NodeOutcome
{
    /// <summary>The node did what it was configured to do.</summary>
    Succeeded,

    /// <summary>The node failed; the error is logged and recorded, and the flow goes on (as Cognigy does).</summary>
    Failed,

    /// <summary>The run was cancelled (call ended); the flow stops.</summary>
    Cancelled,
}
