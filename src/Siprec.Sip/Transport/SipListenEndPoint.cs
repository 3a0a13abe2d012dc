using System.Net;
using System.Net.Sockets;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Transport;

/// <summary>
/// One address a SIP server (the gateway, the SRS) listens on and the transport it speaks there (RFC 3261 §18),
/// written <c>udp:127.0.0.1:5060</c>, <c>tcp:127.0.0.1:5060</c> or <c>tls:127.0.0.1:5061</c>.
/// </summary>
/// <param name="Transport">UDP, TCP, or TLS over TCP (RFC 3261 §26.3.1).</param>
/// <param name="EndPoint">The local address and port; port 0 picks a free port when bound.</param>
public sealed record SipListenEndPoint(SipTransportProtocol Transport, IPEndPoint EndPoint)
{
    /// <summary>
    /// The URI a peer uses to reach this listener as <paramref name="user"/> at <paramref name="host"/>: <c>sips:</c>
    /// for TLS (RFC 3261 §19.1.2, §26.2.2), <c>;transport=tcp</c> for TCP, plain <c>sip:</c> for UDP. As a Contact it
    /// brings the peer's in-dialog requests back over the same transport.
    /// </summary>
    /// <param name="user">User part, e.g. <c>srs</c> or <c>bot</c>.</param>
    /// <param name="host">Host name or IP address; null uses <see cref="EndPoint"/>'s address (IPv6 gets brackets).</param>
    public SipUri ToUri(string user, string? host = null)
    {
        var uri = new SipUri
        {
            Scheme = Transport == SipTransportProtocol.Tls ? "sips" : "sip",
            User = user,
            Host = host ?? FormatAddress(EndPoint.Address),
            Port = EndPoint.Port,
        };
        return Transport == SipTransportProtocol.Tcp ? uri.WithParameter("transport", "tcp") : uri;
    }

    /// <summary>
    /// The Contact for a dialog this listener answers (RFC 3261 §8.1.1.8), as <see cref="ToUri"/>; a listener bound to a
    /// wildcard address (0.0.0.0, ::) uses the host the peer addressed in <paramref name="requestUri"/> instead.
    /// </summary>
    /// <param name="user">User part, e.g. <c>srs</c> or <c>bot</c>.</param>
    /// <param name="requestUri">The Request-URI of the dialog-creating request.</param>
    public SipUri ContactFor(string user, SipUri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        var wildcard = EndPoint.Address.Equals(IPAddress.Any) || EndPoint.Address.Equals(IPAddress.IPv6Any);
        return ToUri(user, wildcard && requestUri.Host.Length > 0 ? requestUri.Host : null);
    }

    /// <summary>True when <paramref name="incoming"/> arrived on this (bound) listener: same local address and transport.</summary>
    public bool Received(IncomingMessage incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return EndPoint.Equals(incoming.Local) && Transport == incoming.Transport;
    }

    /// <summary>The address as a URI host: IPv6 literals in brackets (RFC 3261 §25.1 IPv6reference).</summary>
    public static string FormatAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();

    /// <summary>The command-line and configuration form, e.g. <c>tls:127.0.0.1:5061</c>.</summary>
    public override string ToString() => SipTarget.ProtocolName(Transport).ToLowerInvariant() + ":" + EndPoint;

    /// <summary>
    /// Parses <c>udp:HOST:PORT</c>, <c>tcp:HOST:PORT</c>, <c>tls:HOST:PORT</c> or <c>HOST:PORT</c> (UDP); HOST is an IP
    /// address, IPv6 in brackets, and the port is mandatory. Never throws.
    /// </summary>
    /// <param name="text">The value as given (surrounding white space is ignored).</param>
    /// <param name="listen">The listener, or null.</param>
    /// <param name="why">Why <paramref name="text"/> is not a listen address (without the value; callers name it), or null.</param>
    public static bool TryParse(string? text, out SipListenEndPoint? listen, out string? why)
    {
        listen = null;
        why = null;
        var value = (text ?? "").Trim();
        var transport = SipTransportProtocol.Udp;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && value[..colon].All(char.IsAsciiLetter))
        {
            SipTransportProtocol? known = value[..colon].ToLowerInvariant() switch
            {
                "udp" => SipTransportProtocol.Udp,
                "tcp" => SipTransportProtocol.Tcp,
                "tls" => SipTransportProtocol.Tls,
                _ => null,
            };
            if (known is null)
            {
                why = $"unknown transport '{value[..colon]}'; expected udp, tcp or tls";
                return false;
            }
            transport = known.Value;
            value = value[(colon + 1)..];
        }
        // The port is mandatory: after the last ']' of an IPv6 literal there must be a ':'.
        var hasPort = value.LastIndexOf(':') > value.LastIndexOf(']');
        if (!hasPort || !IPEndPoint.TryParse(value, out var endPoint))
        {
            why = "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT with an IP address, e.g. udp:127.0.0.1:5060 or tls:[::1]:5061";
            return false;
        }
        listen = new SipListenEndPoint(transport, endPoint);
        return true;
    }
}
