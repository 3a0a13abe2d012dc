using Microsoft.Extensions.Logging;

namespace Siprec.Cli.Demo.Caller;

/// <summary>Log lines of the demo caller (event ids 1300–1399).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "demo caller: calling {Target} from {Local}")]
    public static partial void Calling(ILogger logger, string target, string local);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "demo caller: INVITE answered {StatusCode} ({Outcome})")]
    public static partial void Answered(ILogger logger, int statusCode, string outcome);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "demo caller: call ended, hung up by {Side}; RTP sent {Sent}, received {Received}")]
    public static partial void Ended(ILogger logger, string side, long sent, long received);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "demo caller: the 2xx carries no usable SDP ({Detail}); hanging up")]
    public static partial void NoMedia(ILogger logger, string detail);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Debug, Message = "demo caller: {Method} outside any call answered {StatusCode}")]
    public static partial void UnknownRequest(ILogger logger, string method, int statusCode);
}
