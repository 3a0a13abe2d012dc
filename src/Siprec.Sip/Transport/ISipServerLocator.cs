using System.Net;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Transport;

/// <summary>Finds where to send a request for a URI (RFC 3263); the port to DNS.</summary>
public interface ISipServerLocator
{
    /// <summary>Candidate endpoints in the order to try.</summary>
    /// <exception cref="SipLocationException">The URI cannot be resolved (unknown host, unsupported scheme).</exception>
    ValueTask<IReadOnlyList<IPEndPoint>> LocateAsync(SipUri uri, CancellationToken ct);
}
