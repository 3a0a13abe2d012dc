using System.Net;
using System.Net.Sockets;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Transport;

/// <summary>
/// Locates a server from an IP literal or an A/AAAA lookup through <see cref="Dns"/> (RFC 3263 §4.2 without
/// NAPTR/SRV); the port is the URI's, else 5060, or 5061 for <c>sips</c>.
/// </summary>
public sealed class SystemDnsServerLocator : ISipServerLocator
{
    /// <summary>
    /// The addresses of <see cref="LocateAsync"/> as targets over the URI's transport: <c>;transport=</c> if named, else
    /// UDP for <c>sip</c> and TLS for <c>sips</c> (RFC 3263 §4.1 without NAPTR); TLS targets of a host name carry it as the
    /// name to check the certificate against.
    /// </summary>
    /// <exception cref="SipLocationException">Not a sip/sips URI, an unsupported transport, or no address found.</exception>
    public async Task<IReadOnlyList<SipTarget>> ResolveAsync(SipUri uri, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var secure = uri.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase);
        SipTransportProtocol protocol = uri.Transport switch
        {
            null => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Udp,
            "udp" when !secure => SipTransportProtocol.Udp,
            "tcp" => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => throw new SipLocationException($"transport '{uri.Transport}' of {uri} is not supported"),
        };
        var host = uri.Host.Trim('[', ']');
        var tlsName = protocol == SipTransportProtocol.Tls && !IPAddress.TryParse(host, out _) ? host : null;
        var found = await LocateAsync(uri, ct).ConfigureAwait(false);
        var named = uri.Transport is not null; // ;transport=udp keeps an oversized request on UDP (RFC 3261 §18.1.1)
        return found.Select(ep => new SipTarget(ep, protocol, tlsName) { IsTransportExplicit = named }).ToArray();
    }

    /// <summary>Candidate endpoints in the order to try: IPv4 addresses before IPv6.</summary>
    /// <exception cref="SipLocationException">Not a sip/sips URI, or the host cannot be resolved.</exception>
    public async ValueTask<IReadOnlyList<IPEndPoint>> LocateAsync(SipUri uri, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsSip) throw new SipLocationException($"cannot locate a server for '{uri}': scheme '{uri.Scheme}' is not sip or sips");
        var port = uri.Port ?? (uri.Scheme == "sips" ? 5061 : 5060);
        var host = uri.Host.StartsWith('[') ? uri.Host[1..^1] : uri.Host;
        if (IPAddress.TryParse(host, out var literal)) return [new IPEndPoint(literal, port)];
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new SipLocationException($"cannot resolve '{host}' for '{uri}': {ex.SocketErrorCode}", ex);
        }
        if (addresses.Length == 0) throw new SipLocationException($"'{host}' for '{uri}' has no addresses");
        var ordered = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1);
        return ordered.Select(a => new IPEndPoint(a, port)).ToArray();
    }
}
