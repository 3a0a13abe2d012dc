using System.Net;
using Siprec.Recorder;
using Siprec.Sip.Transport;

namespace Siprec.Cli.Hosting;

/// <summary>
/// A SIP listen address given on the command line as <c>udp:HOST:PORT</c>, <c>tcp:HOST:PORT</c>, <c>tls:HOST:PORT</c>
/// or <c>HOST:PORT</c> (UDP); HOST is an IP address, IPv6 in brackets (RFC 3261 §18 transports).
/// </summary>
internal static class ListenAddress
{
    /// <summary>Parses a UDP-only address (commands without TCP/TLS listeners); the error names the option and the value.</summary>
    public static bool TryParse(string text, string option, out IPEndPoint endPoint, out string? error)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (!TryParseListener(text, option, out var listen, out error)) return false;
        if (listen!.Transport != SipTransportProtocol.Udp)
        {
            error = $"{option} '{text}': only udp is supported for {option}";
            return false;
        }
        endPoint = listen.EndPoint;
        return true;
    }

    /// <summary>Parses an address of any transport; the error names the option and the value.</summary>
    public static bool TryParseListener(string text, string option, out SipListenEndPoint? listen, out string? error)
    {
        listen = null;
        error = null;
        var value = text.Trim();
        var transport = SipTransportProtocol.Udp;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && value[..colon].All(char.IsAsciiLetter))
        {
            if (!TryParseTransport(value[..colon], out transport))
            {
                error = $"{option} '{text}': unknown transport '{value[..colon]}'; expected udp, tcp or tls";
                return false;
            }
            value = value[(colon + 1)..];
        }
        // The port is mandatory: after the last ']' of an IPv6 literal there must be a ':'.
        var hasPort = value.LastIndexOf(':') > value.LastIndexOf(']');
        if (!hasPort || !IPEndPoint.TryParse(value, out var endPoint))
        {
            error = $"{option} '{text}': expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT with an IP address, e.g. udp:127.0.0.1:5060 or tls:[::1]:5061";
            return false;
        }
        listen = new SipListenEndPoint(transport, endPoint);
        return true;
    }

    private static bool TryParseTransport(string name, out SipTransportProtocol transport)
    {
        SipTransportProtocol? known = name.ToLowerInvariant() switch
        {
            "udp" => SipTransportProtocol.Udp,
            "tcp" => SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => null,
        };
        transport = known ?? SipTransportProtocol.Udp;
        return known is not null;
    }
}
