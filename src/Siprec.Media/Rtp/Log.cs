using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Siprec.Media.Rtp;

internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "RTP socket bound on {LocalEndPoint}")]
    public static partial void SocketBound(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "RTP send from {LocalEndPoint} to {Remote} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint localEndPoint, IPEndPoint remote, SocketError error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "RTP receive on {LocalEndPoint} ignored a socket error: {Error}")]
    public static partial void ReceiveErrorIgnored(ILogger logger, IPEndPoint localEndPoint, SocketError error);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "RTP packet handler on {LocalEndPoint} threw; the packet is dropped")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "RTP receive loop on {LocalEndPoint} stopped unexpectedly")]
    public static partial void ReceiveLoopFailed(ILogger logger, Exception exception, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Debug, Message = "RTP send from {LocalEndPoint} to {Remote} reports an ICMP error for an earlier datagram: {Error}")]
    public static partial void SendPortUnreachable(ILogger logger, IPEndPoint localEndPoint, IPEndPoint remote, SocketError error);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "RTP PortUnreachable subscriber on {LocalEndPoint} threw")]
    public static partial void PortUnreachableHandlerFailed(ILogger logger, Exception exception, IPEndPoint localEndPoint);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "RTP socket {LocalEndPoint} could not connect to {Remote}: {Error}; ICMP errors from it will not be seen")]
    public static partial void ConnectFailed(ILogger logger, IPEndPoint localEndPoint, IPEndPoint remote, SocketError error);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Error, Message = "RTP PacketSent subscriber for SSRC {Ssrc} threw; the stream continues")]
    public static partial void PacketSentHandlerFailed(ILogger logger, Exception exception, uint ssrc);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "RTP sender for SSRC {Ssrc} fell {Frames} frames behind schedule; skipping ahead")]
    public static partial void SenderFellBehind(ILogger logger, uint ssrc, long frames);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "RTP sender tick for SSRC {Ssrc} failed; the stream continues")]
    public static partial void SenderTickFailed(ILogger logger, Exception exception, uint ssrc);
}
