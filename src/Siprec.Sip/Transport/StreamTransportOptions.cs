namespace Siprec.Sip.Transport;

/// <summary>Limits and timers of the stream transports (TCP, TLS), RFC 3261 §18.3 and RFC 5626 §4.4.1.</summary>
/// <remarks>
/// Defaults: <see cref="MaxMessageSize"/> 64 KiB, <see cref="ConnectTimeout"/> 5 s, <see cref="HeaderReadTimeout"/> 10 s,
/// <see cref="IdleTimeout"/> 150 s, <see cref="KeepAliveInterval"/> off, <see cref="MaxInboundConnections"/> 1024,
/// <see cref="MaxInboundConnectionsPerAddress"/> 64. These bound what a peer that opens connections and sends nothing,
/// or trickles bytes, can hold. Validated by the transport constructor.
/// </remarks>
public sealed record StreamTransportOptions
{
    /// <summary>Largest message (headers and body, bytes) accepted on a connection; a larger one closes the connection.</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>How long a connect (and the TLS handshake) may take before the send fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A connection with no traffic in either direction for this long is closed. The default, 150 s, is above the 95–120 s
    /// at which RFC 5626 §4.4.1 clients send CRLF keep-alives on connection-oriented transports, so such a client is never cut.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>
    /// How long a message's header block may take to arrive: from an accepted connection's start, or from the first byte of a
    /// message, to its empty line (RFC 3261 §7). Longer, and the connection is closed, so a peer that trickles a byte at a time
    /// cannot hold it. CRLF keep-alives between messages do not start it. Default 10 s.
    /// </summary>
    public TimeSpan HeaderReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most accepted (inbound) connections open at once; a further one is closed at once. Default 1024.</summary>
    public int MaxInboundConnections { get; init; } = 1024;

    /// <summary>
    /// Most accepted connections open at once from one source IP address; a further one is closed at once, so one source
    /// cannot take all of <see cref="MaxInboundConnections"/>. Default 64 (a proxy in front reuses a few connections).
    /// </summary>
    public int MaxInboundConnectionsPerAddress { get; init; } = 64;

    /// <summary>
    /// When set, connections this side opened send a CRLFCRLF ping at this interval (RFC 5626 §4.4.1); the peer
    /// answers CRLF. Received pings are always answered. Null: no pings are sent.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit or timer is not positive, the size is below 1 KiB, or the per-address cap exceeds the total.</exception>
    public void Validate()
    {
        if (MaxMessageSize < 1024) throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), MaxMessageSize, "MaxMessageSize must be at least 1024 bytes");
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "ConnectTimeout must be positive");
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "IdleTimeout must be positive");
        if (HeaderReadTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(HeaderReadTimeout), HeaderReadTimeout, "HeaderReadTimeout must be positive");
        if (MaxInboundConnections < 1) throw new ArgumentOutOfRangeException(nameof(MaxInboundConnections), MaxInboundConnections, "MaxInboundConnections must be at least 1");
        if (MaxInboundConnectionsPerAddress < 1 || MaxInboundConnectionsPerAddress > MaxInboundConnections)
            throw new ArgumentOutOfRangeException(nameof(MaxInboundConnectionsPerAddress), MaxInboundConnectionsPerAddress,
                "MaxInboundConnectionsPerAddress must be 1 to MaxInboundConnections");
        if (KeepAliveInterval is { } k && k <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), k, "KeepAliveInterval must be positive");
    }
}
