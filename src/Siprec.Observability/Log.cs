using Microsoft.Extensions.Logging;

namespace Siprec.Observability;

/// <summary>The observability assembly's log events (ids 1700–1799).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "recordings console and /metrics on http://{EndPoint} (folder {Folder})")]
    public static partial void Listening(ILogger logger, string endPoint, string folder);
}
