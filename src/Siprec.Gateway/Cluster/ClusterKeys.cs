namespace Siprec.Gateway.Cluster;

/// <summary>
/// The registry's Redis keys (<c>docs/SCALING.md</c>), all under <c>siprec:{cluster}:</c> so clusters can share a Redis:
/// <c>node:{NodeId}</c> (liveness), <c>call:{CallSid}</c> (the owner and account), <c>siprec:{SiprecSid}</c> (the call and name).
/// </summary>
internal sealed class ClusterKeys
{
    private readonly string _prefix;

    /// <param name="cluster">The cluster name (validated by <see cref="ClusterOptions.Validate"/>).</param>
    public ClusterKeys(string cluster) => _prefix = $"siprec:{cluster}:";

    /// <summary>A node's liveness entry: JSON <c>{"node","url","draining","calls","startedAt"}</c>, TTL = <see cref="ClusterOptions.Ttl"/>.</summary>
    public string Node(string nodeId) => _prefix + "node:" + nodeId;

    /// <summary>A call's entry: JSON <c>{"node","accountSid","sessions":{name:sid}}</c>.</summary>
    public string Call(string callSid) => _prefix + "call:" + callSid;

    /// <summary>A SIPREC session's entry: JSON <c>{"node","callSid","name"}</c>.</summary>
    public string Session(string siprecSid) => _prefix + "siprec:" + siprecSid;
}
