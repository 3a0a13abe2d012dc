using Siprec.Sip.Messages;

namespace Siprec.Sip.Transport;

/// <summary>Finds where to send a request for a URI (RFC 3263); the port to DNS.</summary>
public interface ISipServerLocator
{
    /// <summary>
    /// The targets (address, transport, TLS name) for <paramref name="uri"/> in the order to try (RFC 3263 §4.3 failover
    /// walks this list). A target's <see cref="SipTarget.IsTransportExplicit"/> is set when the URI names its transport.
    /// </summary>
    /// <exception cref="SipLocationException">The URI cannot be resolved (unknown host, unsupported scheme or transport).</exception>
    Task<IReadOnlyList<SipTarget>> ResolveAsync(SipUri uri, CancellationToken ct);
}
