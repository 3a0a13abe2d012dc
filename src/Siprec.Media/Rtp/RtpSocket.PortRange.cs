using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Media.Rtp;

// Binding inside the operator's RTP port range (media.portRange / --rtp-ports).
public sealed partial class RtpSocket
{
    /// <summary>
    /// Binds an RTP socket on an even port of <paramref name="ports"/> (RFC 3550 §11), or an even ephemeral port when
    /// <paramref name="ports"/> is null (as <see cref="Bind(IPAddress, int)"/>).
    /// </summary>
    /// <param name="address">Local address.</param>
    /// <param name="ports">The operator's RTP port range; null for the ephemeral range.</param>
    /// <param name="logger">Receives send failures and handler errors; null for none.</param>
    /// <exception cref="RtpPortsExhaustedException">Every even port of <paramref name="ports"/> is taken.</exception>
    /// <exception cref="SocketException">Without a range: no even port could be found.</exception>
    public static RtpSocket Bind(IPAddress address, RtpPortRange? ports, ILogger<RtpSocket>? logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (ports is null) return Bind(address, 0, logger);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        foreach (int port in ports.Candidates())
        {
            if (TryOpen(address, port, out var socket)) return new RtpSocket(socket, log);
        }
        throw new RtpPortsExhaustedException(ports);
    }

    /// <summary>
    /// Binds an RTP socket on an even port of <paramref name="ports"/> and its RTCP socket on the next odd one
    /// (RFC 3550 §11); with <paramref name="ports"/> null, as <see cref="BindPair(IPAddress, ILogger{RtpSocket})"/>.
    /// </summary>
    /// <param name="address">Local address.</param>
    /// <param name="ports">The operator's RTP port range; null for the ephemeral range.</param>
    /// <param name="logger">Receives send failures and handler errors of both sockets; null for none.</param>
    /// <exception cref="RtpPortsExhaustedException">No pair of <paramref name="ports"/> is free.</exception>
    /// <exception cref="SocketException">Without a range: no free even/odd pair was found.</exception>
    public static (RtpSocket Rtp, RtpSocket Rtcp) BindPair(IPAddress address, RtpPortRange? ports, ILogger<RtpSocket>? logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (ports is null) return BindPair(address, logger);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        foreach (int port in ports.Candidates())
        {
            if (!TryOpen(address, port, out var rtp)) continue;
            if (TryOpen(address, port + 1, out var rtcp)) return (new RtpSocket(rtp, log), new RtpSocket(rtcp, log));
            rtp.Dispose();
        }
        throw new RtpPortsExhaustedException(ports);
    }
}
