using Newtonsoft.Json.Linq;
using Siprec.Gateway.Cluster;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>cluster</c> section (issue 15, <c>docs/SCALING.md</c>): <c>redis</c> (StackExchange.Redis configuration string),
/// <c>name</c>, <c>nodeId</c>, <c>advertiseUrl</c> (this node's internal REST base URL), <c>ttlSecs</c> (2..3600, default 15),
/// <c>heartbeatMs</c> (100.., less than the TTL; default a third of it), <c>orphanWindowSecs</c> (0..86400, default 60),
/// <c>drainTimeoutSecs</c> (1..604800, default 3600) and <c>drainRetryAfterSecs</c> (0..86400, default 30).
/// </summary>
internal sealed class ClusterSection
{
    private static readonly string[] ClusterKeys =
        ["redis", "name", "nodeId", "advertiseUrl", "ttlSecs", "heartbeatMs", "orphanWindowSecs", "drainTimeoutSecs", "drainRetryAfterSecs"];

    private readonly ConfigurationFileReader _reader;

    public ClusterSection(ConfigurationFileReader reader) => _reader = reader;

    public ClusterOptions Read(JToken section)
    {
        var settings = _reader.Object(section);
        _reader.NoUnknownKeys(settings, ClusterKeys);
        var cluster = new ClusterOptions();
        if (settings["redis"] is { Type: not JTokenType.Null } redis) cluster = cluster with { Redis = _reader.String(redis, secret: true) };
        if (settings["name"] is { } name) cluster = cluster with { Name = Token(name) };
        if (settings["nodeId"] is { } nodeId) cluster = cluster with { NodeId = Token(nodeId) };
        if (settings["advertiseUrl"] is { Type: not JTokenType.Null } advertise)
        {
            var text = _reader.String(advertise);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath != "/")
                throw _reader.Bad(advertise, $"'{text}' is not an absolute http or https URL of scheme, host and port only");
            cluster = cluster with { AdvertiseUrl = url };
        }
        if (settings["ttlSecs"] is { } ttl) cluster = cluster with { Ttl = TimeSpan.FromSeconds(_reader.Int(ttl, 2, 3600)) };
        if (settings["heartbeatMs"] is { } heartbeat)
        {
            var interval = TimeSpan.FromMilliseconds(_reader.Int(heartbeat, 100, 3_600_000));
            if (interval >= cluster.Ttl) throw _reader.Bad(heartbeat, $"must be less than ttlSecs ({cluster.Ttl.TotalSeconds:0} s)");
            cluster = cluster with { HeartbeatInterval = interval };
        }
        if (settings["orphanWindowSecs"] is { } orphan) cluster = cluster with { OrphanWindow = TimeSpan.FromSeconds(_reader.Int(orphan, 0, 86_400)) };
        if (settings["drainTimeoutSecs"] is { } drain) cluster = cluster with { DrainTimeout = TimeSpan.FromSeconds(_reader.Int(drain, 1, 604_800)) };
        if (settings["drainRetryAfterSecs"] is { } retry) cluster = cluster with { DrainRetryAfterSecs = _reader.Int(retry, 0, 86_400) };
        if (cluster.Redis is not null && cluster.AdvertiseUrl is null)
            throw _reader.Bad(settings, "needs 'advertiseUrl' (this node's REST base URL, e.g. http://10.0.0.5:8080) with 'redis'");
        return cluster;
    }

    private string Token(JToken token)
    {
        var text = _reader.String(token);
        return ClusterOptions.IsToken(text) ? text : throw _reader.Bad(token, $"'{text}' must be 1-64 letters, digits, '-', '_' or '.'");
    }
}
