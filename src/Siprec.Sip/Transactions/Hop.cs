using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>The next hop of a transaction: which transport sends, and to where (RFC 3261 §18.1.1, §18.2.2).</summary>
/// <param name="Transport">The transport the transaction sends on.</param>
/// <param name="Target">The remote address, protocol and TLS name.</param>
internal readonly record struct Hop(ISipTransport Transport, SipTarget Target)
{
    /// <summary>True over TCP/TLS: no retransmissions, zero wait timers.</summary>
    public bool IsReliable => Transport.IsReliable;

    public override string ToString() => Target.ToString();
}
