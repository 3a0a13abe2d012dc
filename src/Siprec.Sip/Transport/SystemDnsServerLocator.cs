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
    /// <inheritdoc />
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
