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

    [LoggerMessage(1010, LogLevel.Information, "SIP {Protocol} transport listening on {LocalEndPoint}")]
    public static partial void StreamListening(ILogger logger, string protocol, IPEndPoint localEndPoint);

    [LoggerMessage(1011, LogLevel.Information, "SIP {Protocol} transport on {LocalEndPoint} stopped")]
    public static partial void StreamStopped(ILogger logger, string protocol, IPEndPoint localEndPoint);

    [LoggerMessage(1012, LogLevel.Debug, "{Protocol} connection to {Remote} opened")]
    public static partial void Connected(ILogger logger, string protocol, IPEndPoint remote);

    [LoggerMessage(1013, LogLevel.Debug, "{Protocol} connection from {Remote} accepted")]
    public static partial void Accepted(ILogger logger, string protocol, IPEndPoint remote);

    [LoggerMessage(1014, LogLevel.Debug, "{Protocol} connection with {Remote} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string protocol, IPEndPoint remote, string reason);

    [LoggerMessage(1015, LogLevel.Warning, "{Protocol} stream from {Remote} cannot be framed: {Error}")]
    public static partial void FramingFailed(ILogger logger, string protocol, IPEndPoint remote, string error);

    [LoggerMessage(1016, LogLevel.Warning, "{Protocol} accept on {LocalEndPoint} failed: {SocketError}")]
    public static partial void AcceptFailed(ILogger logger, string protocol, IPEndPoint localEndPoint, string socketError);

    [LoggerMessage(1017, LogLevel.Warning, "Inbound {Protocol} connection from {Remote} rejected: {Error}")]
    public static partial void InboundRejected(ILogger logger, string protocol, IPEndPoint remote, string error);

    [LoggerMessage(1018, LogLevel.Warning, "TLS certificate check for {HostName} failed: {Error}")]
    public static partial void CertificateRejected(ILogger logger, string hostName, string error);

    [LoggerMessage(1019, LogLevel.Error, "cannot listen on {Listener}: {SocketError}")]
    public static partial void BindFailed(ILogger logger, string listener, string socketError);

    [LoggerMessage(1020, LogLevel.Warning,
        "Inbound {Protocol} connection from {Remote} closed at once: {Refusal}; {Refused} refused since the previous such line, this one included (at most one line every {IntervalSeconds} s)")]
    public static partial void InboundOverCap(ILogger logger, string protocol, IPEndPoint remote, string refusal, long refused, double intervalSeconds);
}
