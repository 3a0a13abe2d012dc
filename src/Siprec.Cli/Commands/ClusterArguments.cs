using System.CommandLine;
using Siprec.Gateway;
using Siprec.Gateway.Cluster;

namespace Siprec.Cli.Commands;

/// <summary>
/// The cluster options of <c>siprec gateway</c> (issue 15, <c>docs/SCALING.md</c>): <c>--cluster-redis HOST:PORT</c>,
/// <c>--node-id ID</c>, <c>--advertise-url URL</c> and <c>--drain-timeout SECONDS</c>; each overrides the configuration
/// file's <c>cluster</c> key. With <c>--cluster-redis</c> and no advertised URL, the REST address (<c>--http</c>) is advertised.
/// </summary>
/// <param name="Redis">The registry's StackExchange.Redis configuration string.</param>
/// <param name="NodeId">This node's id in the cluster.</param>
/// <param name="AdvertiseUrl">This node's REST base URL as the other nodes reach it.</param>
/// <param name="DrainTimeout">The drain bound in seconds.</param>
internal sealed record ClusterArguments(Option<string?> Redis, Option<string?> NodeId, Option<string?> AdvertiseUrl, Option<int?> DrainTimeout)
{
    /// <summary>Makes the four options.</summary>
    public static ClusterArguments Create() => new(
        new Option<string?>("--cluster-redis") { Description = "Redis of the cluster's call registry (HOST:PORT or a StackExchange.Redis configuration string); needs --http" },
        new Option<string?>("--node-id") { Description = "this gateway's id in the cluster (letters, digits, - _ .; default HOSTNAME-PID)" },
        new Option<string?>("--advertise-url") { Description = "this gateway's REST base URL as the other gateways reach it (default http://<--http address>)" },
        new Option<int?>("--drain-timeout") { Description = "seconds a drain (SIGTERM, POST /admin/drain) waits for calls to end before hanging them up (default 3600)" });

    /// <summary>Applies the given options over <paramref name="options"/>; false and a message naming the option when one is bad.</summary>
    public bool TryApply(ParseResult parse, ref GatewayOptions options, out string? error)
    {
        error = null;
        var cluster = options.Cluster;
        if (parse.GetValue(Redis) is { } redis) cluster = cluster with { Redis = redis };
        if (parse.GetValue(NodeId) is { } nodeId)
        {
            if (!ClusterOptions.IsToken(nodeId))
            {
                error = $"--node-id '{nodeId}': expected 1-64 letters, digits, '-', '_' or '.'";
                return false;
            }
            cluster = cluster with { NodeId = nodeId };
        }
        if (parse.GetValue(AdvertiseUrl) is { } advertise)
        {
            if (!Uri.TryCreate(advertise, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                error = $"--advertise-url '{advertise}': expected an absolute http or https URL, e.g. http://10.0.0.5:8080";
                return false;
            }
            cluster = cluster with { AdvertiseUrl = url };
        }
        if (parse.GetValue(DrainTimeout) is { } seconds)
        {
            if (seconds is < 1 or > 604_800)
            {
                error = $"--drain-timeout {seconds}: expected 1 to 604800 seconds";
                return false;
            }
            cluster = cluster with { DrainTimeout = TimeSpan.FromSeconds(seconds) };
        }
        if (cluster.Redis is not null && cluster.AdvertiseUrl is null)
        {
            if (options.HttpEndPoint is not { } http)
            {
                error = "--cluster-redis needs --http (the REST API the other gateways forward to)";
                return false;
            }
            cluster = cluster with { AdvertiseUrl = new Uri($"http://{http}") };
        }
        options = options with { Cluster = cluster };
        return true;
    }
}
