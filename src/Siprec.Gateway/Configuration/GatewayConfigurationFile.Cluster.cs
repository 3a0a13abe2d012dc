using Newtonsoft.Json.Linq;
using Siprec.Gateway.Cluster;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>cluster</c> section (issue 15, <c>docs/SCALING.md</c>): <c>redis</c> (StackExchange.Redis configuration string),
/// <c>name</c>, <c>nodeId</c>, <c>advertiseUrl</c> (this node's internal REST base URL), <c>ttlSecs</c> (2..3600, default 15),
/// <c>heartbeatMs</c> (100.., less than the TTL; default a third of it), <c>orphanWindowSecs</c> (0..86400, default 60),
/// <c>drainTimeoutSecs</c> (1..604800, default 3600) and <c>drainRetryAfterSecs</c> (0..86400, default 30).
/// </summary>
public static partial class GatewayConfigurationFile
{
    private static readonly string[] ClusterKeys =
        ["redis", "name", "nodeId", "advertiseUrl", "ttlSecs", "heartbeatMs", "orphanWindowSecs", "drainTimeoutSecs", "drainRetryAfterSecs"];

    private static ClusterOptions ReadCluster(JToken section, Reader reader)
    {
        var settings = reader.Object(section);
        reader.NoUnknownKeys(settings, ClusterKeys);
        var cluster = new ClusterOptions();
        if (settings["redis"] is { Type: not JTokenType.Null } redis) cluster = cluster with { Redis = reader.String(redis, secret: true) };
        if (settings["name"] is { } name) cluster = cluster with { Name = Token(name, reader) };
        if (settings["nodeId"] is { } nodeId) cluster = cluster with { NodeId = Token(nodeId, reader) };
        if (settings["advertiseUrl"] is { Type: not JTokenType.Null } advertise)
        {
            var text = reader.String(advertise);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath != "/")
                throw reader.Bad(advertise, $"'{text}' is not an absolute http or https URL of scheme, host and port only");
            cluster = cluster with { AdvertiseUrl = url };
        }
        if (settings["ttlSecs"] is { } ttl) cluster = cluster with { Ttl = TimeSpan.FromSeconds(reader.Int(ttl, 2, 3600)) };
        if (settings["heartbeatMs"] is { } heartbeat)
        {
            var interval = TimeSpan.FromMilliseconds(reader.Int(heartbeat, 100, 3_600_000));
            if (interval >= cluster.Ttl) throw reader.Bad(heartbeat, $"must be less than ttlSecs ({cluster.Ttl.TotalSeconds:0} s)");
            cluster = cluster with { HeartbeatInterval = interval };
        }
        if (settings["orphanWindowSecs"] is { } orphan) cluster = cluster with { OrphanWindow = TimeSpan.FromSeconds(reader.Int(orphan, 0, 86_400)) };
        if (settings["drainTimeoutSecs"] is { } drain) cluster = cluster with { DrainTimeout = TimeSpan.FromSeconds(reader.Int(drain, 1, 604_800)) };
        if (settings["drainRetryAfterSecs"] is { } retry) cluster = cluster with { DrainRetryAfterSecs = reader.Int(retry, 0, 86_400) };
        if (cluster.Redis is not null && cluster.AdvertiseUrl is null)
            throw reader.Bad(settings, "needs 'advertiseUrl' (this node's REST base URL, e.g. http://10.0.0.5:8080) with 'redis'");
        return cluster;
    }

    private static string Token(JToken token, Reader reader)
    {
        var text = reader.String(token);
        return ClusterOptions.IsToken(text) ? text : throw reader.Bad(token, $"'{text}' must be 1-64 letters, digits, '-', '_' or '.'");
    }
}
