using System.Net;
using System.Net.Sockets;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>
/// One address the SRS listens on for SIP and the transport it speaks there (RFC 3261 §18), written
/// <c>udp:127.0.0.1:5060</c>, <c>tcp:127.0.0.1:5060</c> or <c>tls:127.0.0.1:5061</c>.
/// </summary>
/// <param name="Transport">UDP, TCP, or TLS over TCP (RFC 3261 §26.3.1).</param>
/// <param name="EndPoint">The local address and port; port 0 picks a free port when bound.</param>
public sealed record SipListenEndPoint(SipTransportProtocol Transport, IPEndPoint EndPoint)
{
    /// <summary>
    /// The SIP URI an SRC uses to reach this listener as <paramref name="user"/> at <paramref name="host"/>:
    /// <c>sips:</c> for TLS (RFC 3261 §19.1.2, §26.2.2), <c>;transport=tcp</c> for TCP, plain <c>sip:</c> for UDP.
    /// </summary>
    /// <param name="user">User part, e.g. <c>srs</c>.</param>
    /// <param name="host">Host name or IP address; null uses <see cref="EndPoint"/>'s address (IPv6 gets brackets).</param>
    public SipUri ToUri(string user, string? host = null)
    {
        var hostPart = host ?? FormatAddress(EndPoint.Address);
        var uri = new SipUri
        {
            Scheme = Transport == SipTransportProtocol.Tls ? "sips" : "sip",
            User = user,
            Host = hostPart,
            Port = EndPoint.Port,
        };
        return Transport == SipTransportProtocol.Tcp ? uri.WithParameter("transport", "tcp") : uri;
    }

    /// <summary>The address as a URI host: IPv6 literals in brackets (RFC 3261 §25.1 IPv6reference).</summary>
    internal static string FormatAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

    /// <summary>The command-line form, e.g. <c>tls:127.0.0.1:5061</c>.</summary>
    public override string ToString() => SipTarget.ProtocolName(Transport).ToLowerInvariant() + ":" + EndPoint;
}
