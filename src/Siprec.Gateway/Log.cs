using Microsoft.Extensions.Logging;

namespace Siprec.Gateway;

/// <summary>Log lines of the gateway host (event ids 1000–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "gateway listening on {Listeners}; SRC on udp {SrcEndPoint}; flow {Flow}")]
    public static partial void Started(ILogger logger, string listeners, string srcEndPoint, string flow);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "edge {Edge}: recordings of connector(s) {Connectors} leave from udp {SrcEndPoint} (SIP) and its address (RTP); ;edge= is removed from their Request-URIs")]
    public static partial void EdgeEgress(ILogger logger, string edge, string srcEndPoint, string connectors);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "a CallEnded handler threw for call {CallSid}")]
    public static partial void CallEndedHandlerFailed(ILogger logger, Exception exception, string callSid);
}
