namespace Siprec.Gateway.Cluster;

/// <summary>How forwarding a REST request to the node that holds the call went.</summary>
internal enum ForwardOutcome
{
    /// <summary>The owner answered; its status, content type and body were copied to the client.</summary>
    Answered,

    /// <summary>The owner could not be connected to (refused, reset, unreachable): nothing was sent to the client yet.</summary>
    Unreachable,

    /// <summary>The owner accepted the request but did not answer within the bound: nothing was sent to the client yet.</summary>
    TimedOut,
}
