using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// The default media engine: the in-process RTP forwarder (Siprec.Media.Forwarding), one forwarder per recorder and stream
/// on an even/odd port pair of the SRC's media address. Needs nothing installed.
/// </summary>
internal sealed class EmbeddedMediaEngine : IMediaEngine
{
    /// <summary>Creates the engine binding forwarders on <paramref name="mediaAddress"/>.</summary>
    /// <param name="mediaAddress">Where forwarders bind and the SDP points.</param>
    /// <param name="time">The forwarders' clock.</param>
    /// <param name="loggerFactory">Loggers of sockets and forwarders.</param>
    /// <param name="rtpPorts">The UDP ports forwarders bind (<see cref="SrcOptions.RtpPorts"/>); null for the ephemeral range.</param>
    public EmbeddedMediaEngine(IPAddress mediaAddress, TimeProvider time, ILoggerFactory loggerFactory, Siprec.Media.Rtp.RtpPortRange? rtpPorts = null)
    {
        MediaAddress = mediaAddress;
        RtpPorts = rtpPorts;
        Time = time;
        LoggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public string Name => "embedded";

    /// <summary>Where forwarders bind and the SDP points.</summary>
    public IPAddress MediaAddress { get; }

    /// <summary>The operator's RTP port range; null for the ephemeral range.</summary>
    public Siprec.Media.Rtp.RtpPortRange? RtpPorts { get; }

    /// <summary>The forwarders' clock (RTCP timers).</summary>
    public TimeProvider Time { get; }

    /// <summary>Loggers of sockets and forwarders.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <inheritdoc />
    public IMediaEngineCall OpenCall(string callId) => new EmbeddedMediaCall(this);
}
