using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Transport;

/// <summary>Transport log events (ids 1000-1099).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "SIP UDP transport listening on {LocalEndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(1001, LogLevel.Warning, "Datagram handler failed for a datagram of {Bytes} bytes from {Remote}")]
    public static partial void HandlerFailed(ILogger logger, int bytes, IPEndPoint remote, Exception exception);

    [LoggerMessage(1002, LogLevel.Debug, "Ignoring ICMP-reported error on {LocalEndPoint}: {SocketError}")]
    public static partial void ReceiveErrorIgnored(ILogger logger, IPEndPoint localEndPoint, string socketError);

    [LoggerMessage(1003, LogLevel.Error, "SIP UDP receive loop on {LocalEndPoint} failed; retrying")]
    public static partial void ReceiveFailed(ILogger logger, IPEndPoint localEndPoint, Exception exception);

    [LoggerMessage(1004, LogLevel.Information, "SIP UDP transport on {LocalEndPoint} stopped")]
    public static partial void Stopped(ILogger logger, IPEndPoint localEndPoint);
}
