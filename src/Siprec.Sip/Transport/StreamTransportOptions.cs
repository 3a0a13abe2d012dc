namespace Siprec.Sip.Transport;

/// <summary>Limits and timers of the stream transports (TCP, TLS), RFC 3261 §18.3 and RFC 5626 §4.4.1.</summary>
/// <remarks>
/// Defaults: <see cref="MaxMessageSize"/> 64 KiB, <see cref="ConnectTimeout"/> 5 s, <see cref="IdleTimeout"/> 5 min,
/// <see cref="KeepAliveInterval"/> off. Validated by the transport constructor.
/// </remarks>
public sealed record StreamTransportOptions
{
    /// <summary>Largest message (headers and body, bytes) accepted on a connection; a larger one closes the connection.</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>How long a connect (and the TLS handshake) may take before the send fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection with no traffic in either direction for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When set, connections this side opened send a CRLFCRLF ping at this interval (RFC 5626 §4.4.1); the peer
    /// answers CRLF. Received pings are always answered. Null: no pings are sent.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit or timer is not positive, or the size is below 1 KiB.</exception>
    public void Validate()
    {
        if (MaxMessageSize < 1024) throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), MaxMessageSize, "MaxMessageSize must be at least 1024 bytes");
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "ConnectTimeout must be positive");
        if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "IdleTimeout must be positive");
        if (KeepAliveInterval is { } k && k <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), k, "KeepAliveInterval must be positive");
    }
}
