namespace Siprec.Media.Rtp;

/// <summary>
/// Observes a packet an <see cref="RtpStreamSender"/> has just sent (the recording tap). The span holds
/// the exact bytes sent and is valid only during the call. Exceptions are logged and swallowed.
/// </summary>
/// <param name="packet">The RTP packet as sent, header included.</param>
public delegate void RtpPacketSentHandler(ReadOnlySpan<byte> packet);
