namespace Siprec.Gateway.Cluster;

/// <summary>Which node the registry says holds a call.</summary>
/// <param name="NodeId">The owner's node id.</param>
/// <param name="AccountSid">The call's account; null when it has none.</param>
/// <param name="Url">The owner's advertised REST base URL; null when the owner's liveness entry is gone (the node died or left).</param>
internal sealed record CallOwner(string NodeId, string? AccountSid, Uri? Url);
