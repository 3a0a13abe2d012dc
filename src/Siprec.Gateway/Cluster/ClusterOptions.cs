namespace Siprec.Gateway.Cluster;

/// <summary>
/// Cluster mode (issue 15, <c>docs/SCALING.md</c>): several gateways behind a SIP dispatcher share a Redis call registry so
/// a REST request reaching any of them is forwarded to the gateway that holds the call, and each drains gracefully.
/// </summary>
/// <remarks>
/// Defaults: no registry (<see cref="Redis"/> null: the gateway is an island, drain and health still work), cluster name
/// <c>default</c>, node id = host name and process id, entries live 15 s (<see cref="Ttl"/>) refreshed every 5 s, a dead
/// node's call entries outlive its node entry by 60 s (<see cref="OrphanWindow"/>), drain bound 1 hour. Validated by
/// <see cref="RecordingGateway.StartAsync"/>.
/// </remarks>
public sealed record ClusterOptions
{
    /// <summary>The StackExchange.Redis configuration string of the registry, e.g. <c>127.0.0.1:6379</c> or <c>redis1:6379,password=…</c>; null: no registry.</summary>
    public string? Redis { get; init; }

    /// <summary>Namespaces every key (<c>siprec:{Name}:…</c>) so several clusters can share one Redis; letters, digits, <c>-</c>, <c>_</c>, <c>.</c>.</summary>
    public string Name { get; init; } = "default";

    /// <summary>This gateway's id in the registry; unique in the cluster; same character set as <see cref="Name"/>.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// The base URL (scheme, host, port) at which the other gateways reach this gateway's REST API, e.g.
    /// <c>http://10.0.0.5:8080</c>; required with <see cref="Redis"/>. Internal: it need not be reachable by clients.
    /// </summary>
    public Uri? AdvertiseUrl { get; init; }

    /// <summary>How long a node's liveness entry lives without a heartbeat: the bound on "a dead node stops being listed". 2 s to 1 h.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the heartbeat rewrites this node's entries; less than <see cref="Ttl"/> (default a third of it).</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>
    /// How much longer than the node entry a live call's entries live: the window in which a REST request for a dead node's
    /// call answers "the call's gateway is unavailable" instead of a plain not-found. 0 to 1 day.
    /// </summary>
    public TimeSpan OrphanWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a drain (SIGTERM, <c>POST /admin/drain</c>) waits for established calls to end before hanging them up. 1 s to 7 days.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The <c>Retry-After</c> seconds of the 503 a draining gateway answers new INVITEs with.</summary>
    public int DrainRetryAfterSecs { get; init; } = 30;

    /// <summary>The heartbeat interval in force: <see cref="HeartbeatInterval"/>, or a third of <see cref="Ttl"/>.</summary>
    public TimeSpan EffectiveHeartbeat => HeartbeatInterval ?? Ttl / 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!IsToken(Name)) throw new ArgumentException($"Cluster.Name must be 1-64 letters, digits, '-', '_' or '.', was '{Name}'.", nameof(Name));
        if (!IsToken(NodeId)) throw new ArgumentException($"Cluster.NodeId must be 1-64 letters, digits, '-', '_' or '.', was '{NodeId}'.", nameof(NodeId));
        if (Ttl < TimeSpan.FromSeconds(2) || Ttl > TimeSpan.FromHours(1))
            throw new ArgumentException($"Cluster.Ttl must be 2 s to 1 h, was {Ttl}.", nameof(Ttl));
        if (EffectiveHeartbeat < TimeSpan.FromMilliseconds(100) || EffectiveHeartbeat >= Ttl)
            throw new ArgumentException($"Cluster.HeartbeatInterval must be at least 100 ms and less than Ttl ({Ttl}), was {EffectiveHeartbeat}.", nameof(HeartbeatInterval));
        if (OrphanWindow < TimeSpan.Zero || OrphanWindow > TimeSpan.FromDays(1))
            throw new ArgumentException($"Cluster.OrphanWindow must be 0 to 1 day, was {OrphanWindow}.", nameof(OrphanWindow));
        if (DrainTimeout < TimeSpan.FromSeconds(1) || DrainTimeout > TimeSpan.FromDays(7))
            throw new ArgumentException($"Cluster.DrainTimeout must be 1 s to 7 days, was {DrainTimeout}.", nameof(DrainTimeout));
        if (DrainRetryAfterSecs is < 0 or > 86_400)
            throw new ArgumentException($"Cluster.DrainRetryAfterSecs must be 0..86400, was {DrainRetryAfterSecs}.", nameof(DrainRetryAfterSecs));
        if (Redis is not null)
        {
            if (string.IsNullOrWhiteSpace(Redis)) throw new ArgumentException("Cluster.Redis must name a Redis server, e.g. 127.0.0.1:6379.", nameof(Redis));
            if (AdvertiseUrl is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
                throw new ArgumentException($"Cluster.AdvertiseUrl must be this node's absolute http(s) REST base URL when Cluster.Redis is set, was '{AdvertiseUrl}'.", nameof(AdvertiseUrl));
        }
    }

    /// <summary>True for 1-64 characters from letters, digits, <c>-</c>, <c>_</c> and <c>.</c> (safe inside a Redis key and a log line).</summary>
    public static bool IsToken(string? text) =>
        text is { Length: > 0 and <= 64 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
