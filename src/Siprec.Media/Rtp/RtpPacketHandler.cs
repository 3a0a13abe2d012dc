using System.Net;

namespace Siprec.Media.Rtp;

/// <summary>
/// Receives one datagram from an <see cref="RtpSocket"/> receive loop. The span is valid only during
/// the call (the buffer is reused); copy what must outlive it. Exceptions are logged and swallowed.
/// </summary>
/// <param name="packet">The datagram as received, unvalidated.</param>
/// <param name="remote">The sender's address and port.</param>
public delegate void RtpPacketHandler(ReadOnlySpan<byte> packet, IPEndPoint remote);
