using System.Net;
using System.Net.Sockets;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Gateway;

/// <summary>
/// One address the gateway answers calls and recording INFO on, and the transport it speaks there (RFC 3261 §18),
/// written <c>udp:127.0.0.1:5060</c>, <c>tcp:127.0.0.1:5060</c> or <c>tls:127.0.0.1:5061</c>.
/// </summary>
/// <param name="Transport">UDP, TCP, or TLS over TCP (RFC 3261 §26.3.1).</param>
/// <param name="EndPoint">The local address and port; port 0 picks a free port when bound.</param>
public sealed record GatewayListenEndPoint(SipTransportProtocol Transport, IPEndPoint EndPoint)
{
    /// <summary>
    /// The gateway's URI on this listener as <paramref name="user"/> at <paramref name="host"/>: <c>sips:</c> for TLS
    /// (RFC 3261 §19.1.2, §26.2.2), <c>;transport=tcp</c> for TCP, plain <c>sip:</c> for UDP. It is the Contact of
    /// the calls this listener answers, so the caller's in-dialog requests come back over the same transport.
    /// </summary>
    /// <param name="user">User part, e.g. <c>bot</c>.</param>
    /// <param name="host">Host name or IP address; null uses <see cref="EndPoint"/>'s address (IPv6 gets brackets).</param>
    public SipUri ToUri(string user, string? host = null)
    {
        var uri = new SipUri
        {
            Scheme = Transport == SipTransportProtocol.Tls ? "sips" : "sip",
            User = user,
            Host = host ?? (EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + EndPoint.Address + "]" : EndPoint.Address.ToString()),
            Port = EndPoint.Port,
        };
        return Transport == SipTransportProtocol.Tcp ? uri.WithParameter("transport", "tcp") : uri;
    }

    /// <summary>The command-line and configuration form, e.g. <c>tls:127.0.0.1:5061</c>.</summary>
    public override string ToString() => SipTarget.ProtocolName(Transport).ToLowerInvariant() + ":" + EndPoint;

    /// <summary>
    /// Parses <c>udp:HOST:PORT</c>, <c>tcp:HOST:PORT</c>, <c>tls:HOST:PORT</c> or <c>HOST:PORT</c> (UDP); HOST is an IP
    /// address, IPv6 in brackets, and the port is mandatory. Never throws.
    /// </summary>
    /// <param name="text">The value as given (surrounding white space is ignored).</param>
    /// <param name="listen">The listener, or null.</param>
    /// <param name="why">Why <paramref name="text"/> is not a listen address (without the value; callers name it), or null.</param>
    public static bool TryParse(string text, out GatewayListenEndPoint? listen, out string? why)
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
        listen = new GatewayListenEndPoint(transport, endPoint);
        return true;
    }
}
