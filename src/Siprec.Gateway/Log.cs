using Microsoft.Extensions.Logging;

namespace Siprec.Gateway;

/// <summary>Log lines of the gateway host (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "gateway listening on {Listeners}; SRC on udp {SrcEndPoint}; flow {Flow}")]
    public static partial void Started(ILogger logger, string listeners, string srcEndPoint, string flow);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "connector {Connector}: ;edge={Edge} names egress {Egress}; the edge is removed from its Request-URIs, but recording INVITEs still leave from the SRC's own socket {SrcEndPoint} (per-edge egress is not implemented)")]
    public static partial void EdgeNotRouted(ILogger logger, string connector, string edge, string egress, string srcEndPoint);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "a CallEnded handler threw for call {CallSid}")]
    public static partial void CallEndedHandlerFailed(ILogger logger, Exception exception, string callSid);
}
