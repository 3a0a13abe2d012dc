using System.Net.Sockets;

namespace Siprec.Media.Rtp;

/// <summary>
/// No even/odd port pair of an <see cref="RtpPortRange"/> could be bound: every pair is in use (by this process or
/// another). A <see cref="SocketException"/> with <see cref="SocketError.AddressNotAvailable"/>, so callers that handle
/// bind failures keep working; the message names the range for the operator (raise the range or lower the load).
/// </summary>
public sealed class RtpPortsExhaustedException : SocketException
{
    /// <summary>Creates the exception for <paramref name="range"/>.</summary>
    /// <param name="range">The range that is full.</param>
    public RtpPortsExhaustedException(RtpPortRange range)
        : base((int)SocketError.AddressNotAvailable,
            $"no free RTP port pair in the RTP port range {range} ({range.Pairs} pair(s), all in use)")
    {
        Range = range;
    }

    /// <summary>The range that is full.</summary>
    public RtpPortRange Range { get; }
}
