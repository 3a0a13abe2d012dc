using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Media.Forwarding;

/// <summary>Source-generated log messages of the RTP forwarder (event ids 5200-5299).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning, Message = "Recorder at {Destination} reports its port closed (ICMP port unreachable on {LocalEndPoint}) for SSRC {Ssrc}")]
    public static partial void PortUnreachable(ILogger logger, IPEndPoint destination, IPEndPoint localEndPoint, uint ssrc);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "RTCP receiver report for SSRC {Ssrc} from {Remote}: fraction lost {FractionLost}, cumulative lost {CumulativeLost}, jitter {JitterMs} ms")]
    public static partial void ReceiverReport(ILogger logger, uint ssrc, IPEndPoint remote, double fractionLost, int cumulativeLost, double jitterMs);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Recorder at {Remote} sent RTCP BYE for the stream of SSRC {Ssrc}")]
    public static partial void ByeReceived(ILogger logger, IPEndPoint remote, uint ssrc);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "RTCP from {Remote} for the SRTP stream of SSRC {Ssrc} dropped: not SRTCP that authenticates with the recorder's key (wrong key, tampering, replay, or plain RTCP); further drops are only counted")]
    public static partial void SrtcpRejected(ILogger logger, IPEndPoint remote, uint ssrc);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Error, Message = "RTCP report timer for SSRC {Ssrc} failed; reports continue")]
    public static partial void ReportFailed(ILogger logger, Exception exception, uint ssrc);
}
