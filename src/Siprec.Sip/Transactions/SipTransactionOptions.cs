using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>Transaction timer bases (RFC 3261 §17.1.1.1, Table 4).</summary>
/// <remarks>
/// Defaults: T1 500 ms (RTT estimate), T2 4 s (cap for non-INVITE and response retransmits), T4 5 s (max network
/// lifetime), <see cref="UdpMaxBytes"/> 1300 bytes (RFC 3261 §18.1.1 with the path MTU unknown).
/// </remarks>
public sealed record SipTransactionOptions
{
    /// <summary>RTT estimate; Timer A/E start here, Timer B/F/H/J/L/M are 64*T1.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval for non-INVITE requests and INVITE responses.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum time a message stays in the network; Timer I and K.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer D: how long a client INVITE transaction absorbs final-response retransmissions; at least 32 s over UDP.</summary>
    public TimeSpan TimerD { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>
    /// Checks every new request (not ACK, not CANCEL) before the TU sees it (RFC 3261 §8.2: 400, 416, 420, 415, 483,
    /// 501); a failing one is answered through a server transaction. Null turns the checks off.
    /// </summary>
    public SipValidationPolicy? Validation { get; init; } = SipValidationPolicy.Default;

    /// <summary>Host written in the Via sent-by; null uses the transport's address (or the route to the destination when bound to any).</summary>
    public string? ViaHost { get; init; }

    /// <summary>
    /// RFC 3261 §18.1.1: a request larger than this many bytes (serialized, headers and body) that would go over UDP is
    /// sent over TCP to the same address when a TCP transport exists, and over UDP only when TCP cannot connect or the
    /// URI named <c>;transport=udp</c> (<see cref="Transport.SipTarget.IsTransportExplicit"/>; logged as a warning).
    /// 1300 suits an unknown path MTU of 1500; raise it only for a known larger MTU. 0 turns the rule off.
    /// </summary>
    public int UdpMaxBytes { get; init; } = 1300;

    /// <summary>Throws when a value is non-positive or T2 is below T1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An invalid timer value.</exception>
    public void Validate()
    {
        if (T1 <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(T1), T1, "T1 must be positive");
        if (T2 < T1) throw new ArgumentOutOfRangeException(nameof(T2), T2, "T2 must be at least T1");
        if (T4 <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(T4), T4, "T4 must be positive");
        if (TimerD < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimerD), TimerD, "Timer D cannot be negative");
        if (UdpMaxBytes is < 0 or > 65_507) throw new ArgumentOutOfRangeException(nameof(UdpMaxBytes), UdpMaxBytes, "UdpMaxBytes must be 0 (off) to 65507 (the largest UDP payload)");
    }
}
