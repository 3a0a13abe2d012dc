namespace Siprec.Media.Forwarding;

/// <summary>Settings of an <see cref="RtpForwarder"/>'s RTCP (RFC 3550 §6).</summary>
/// <remarks>Defaults: <see cref="RtcpInterval"/> 5 s (RFC 3550 §6.2 minimum), <see cref="ClockRate"/> 8000 Hz (PCMU), <see cref="Cname"/> random per forwarder.</remarks>
public sealed record RtpForwarderOptions
{
    /// <summary>Nominal interval between sender reports, randomized by [0.5, 1.5] each time (RFC 3550 §6.2); zero turns RTCP off. Default 5 s.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>RTP timestamp units per second of the forwarded stream, for SR timestamps and jitter in ms. Default 8000.</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>The SDES CNAME (RFC 3550 §6.5.1); null for a random one per forwarder (RFC 7022). At most 255 UTF-8 bytes.</summary>
    public string? Cname { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative interval, a clock rate below 1 or a CNAME over 255 bytes.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RtcpInterval, TimeSpan.Zero, nameof(RtcpInterval));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ClockRate, nameof(ClockRate));
        if (Cname is not null && System.Text.Encoding.UTF8.GetByteCount(Cname) > 255)
            throw new ArgumentOutOfRangeException(nameof(Cname), "an SDES CNAME is at most 255 bytes");
    }
}
