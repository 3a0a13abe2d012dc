using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Media.Rtpengine;

/// <summary>Source-generated log messages of the rtpengine ng client (event ids 5600-5699).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5600, Level = LogLevel.Error, Message = "rtpengine {Instance} stopped answering ng commands ({Detail}); its calls fail and new calls go to the other instances")]
    public static partial void InstanceDown(ILogger logger, string instance, string detail);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "rtpengine {Instance} answers ng commands again; it takes new calls")]
    public static partial void InstanceUp(ILogger logger, string instance);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Debug, Message = "ng answer from {Remote} dropped: {Reason}")]
    public static partial void BadAnswer(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Debug, Message = "ng '{Command}' to {Instance}: no answer within the try's timeout, resending (try {Try})")]
    public static partial void Retry(ILogger logger, string command, string instance, int @try);

    [LoggerMessage(EventId = 5604, Level = LogLevel.Error, Message = "ng receive loop failed; answers are no longer read")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);
}
