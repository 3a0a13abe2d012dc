using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Location;

/// <summary>Server-location and DNS log events (ids 1300-1399).</summary>
internal static partial class Log
{
    [LoggerMessage(1300, LogLevel.Warning, "DNS {Type} query for {Name} to {Server} failed: {Error}")]
    public static partial void QueryFailed(ILogger logger, string name, string type, IPEndPoint server, string error);

    [LoggerMessage(1301, LogLevel.Debug, "Ignoring a DNS datagram from {Server}: {Error}")]
    public static partial void BadAnswer(ILogger logger, IPEndPoint server, string error);

    [LoggerMessage(1302, LogLevel.Debug, "{Uri} resolved to {Targets}")]
    public static partial void Resolved(ILogger logger, string uri, string targets);

    [LoggerMessage(1303, LogLevel.Information, "SRV lookup {Name} failed, trying the next step: {Error}")]
    public static partial void SrvFailed(ILogger logger, string name, string error);
}
