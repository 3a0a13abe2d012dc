using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.Rest;

/// <summary>Log lines of the REST API (event ids 1300–1399); never a secret, never a full Authorization header.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "REST API listening on http://{EndPoint}")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "REST {Method} {Path} from {Remote} refused with 401: no valid credentials")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string remote);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "REST {Method} {Path} answered {StatusCode}")]
    public static partial void Answered(ILogger logger, string method, string path, int statusCode);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "REST {Method} {Path} answered {StatusCode}: {Text}")]
    public static partial void Refused(ILogger logger, string method, string path, int statusCode, string text);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "REST {Method} {Path} failed unexpectedly; answered 500")]
    public static partial void Failed(ILogger logger, System.Exception exception, string method, string path);
}
