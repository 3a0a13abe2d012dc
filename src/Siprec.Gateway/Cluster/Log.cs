using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.Cluster;

/// <summary>Log lines of cluster mode: registry, forwarding, drain (event ids 1700–1799).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "cluster {Cluster}: node {NodeId} registers in Redis {Redis}, advertised as {Url}; entries live {TtlSecs} s, heartbeat every {HeartbeatMs} ms")]
    public static partial void Registered(ILogger logger, string cluster, string nodeId, string redis, string url, double ttlSecs, double heartbeatMs);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "cluster registry unreachable: {Reason}; this node is not ready (GET /readyz answers 503) until a heartbeat succeeds")]
    public static partial void RegistryUnreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "cluster registry reachable again")]
    public static partial void RegistryReachable(ILogger logger);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "REST {Method} {Path} for call {CallSid} forwarded to node {NodeId}, which answered {StatusCode}")]
    public static partial void Forwarded(ILogger logger, string method, string path, string callSid, string nodeId, int statusCode);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "REST {Method} {Path} for call {CallSid}: its gateway {NodeId} is unavailable ({Reason}); answered 404")]
    public static partial void OwnerUnavailable(ILogger logger, string method, string path, string callSid, string nodeId, string reason);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "REST {Method} {Path} for call {CallSid}: node {NodeId} did not answer within {TimeoutSecs} s; answered 504")]
    public static partial void ForwardTimedOut(ILogger logger, string method, string path, string callSid, string nodeId, double timeoutSecs);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Warning, Message = "draining ({Reason}): OPTIONS and new INVITEs answered 503; {Calls} established call(s) kept until they end, at most {BoundSecs} s")]
    public static partial void Draining(ILogger logger, string reason, int calls, double boundSecs);

    [LoggerMessage(EventId = 1707, Level = LogLevel.Information, Message = "drained: no call left")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(EventId = 1708, Level = LogLevel.Warning, Message = "cluster registry: could not remove node {NodeId}'s entries on shutdown ({Reason}); they expire within the TTL")]
    public static partial void DeregisterFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(EventId = 1709, Level = LogLevel.Warning, Message = "cluster registry: lookup of call {CallSid} failed ({Reason}); answered as if the call were unknown here")]
    public static partial void LookupFailed(ILogger logger, string callSid, string reason);
}
