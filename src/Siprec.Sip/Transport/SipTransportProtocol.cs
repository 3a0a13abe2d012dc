namespace Siprec.Sip.Transport;

/// <summary>The SIP transports this stack speaks (RFC 3261 §18); <c>sips:</c> means <see cref="Tls"/> (RFC 3261 §26.2.2).</summary>
public enum SipTransportProtocol
{
    /// <summary>SIP over UDP: unreliable, retransmitted by the transaction layer.</summary>
    Udp,

    /// <summary>SIP over TCP: reliable, framed by Content-Length.</summary>
    Tcp,

    /// <summary>SIP over TLS over TCP (RFC 3261 §26.3.1).</summary>
    Tls,
}
