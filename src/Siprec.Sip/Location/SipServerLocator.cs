using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Location;

/// <summary>
/// RFC 3263 §4 server location without NAPTR: an IP literal is one target; a host with a port is its A/AAAA
/// addresses; a host without a port is looked up as SRV (<c>_sips._tcp</c> for sips, else <c>_sip._udp</c> /
/// <c>_sip._tcp</c> per the transport parameter, both when none), ordered by priority and RFC 2782 weighted random,
/// then each SRV target's A/AAAA; no SRV records falls back to the host's A/AAAA on 5060 (5061 for TLS).
/// </summary>
public sealed class SipServerLocator : ISipServerLocator
{
    private readonly IDnsResolver _dns;
    private readonly ILogger _logger;
    private readonly Random _random;

    /// <summary>Creates the locator over <paramref name="dns"/>.</summary>
    /// <param name="dns">The resolver (usually <see cref="DnsClient"/>).</param>
    /// <param name="logger">Optional logger.</param>
    public SipServerLocator(IDnsResolver dns, ILogger<SipServerLocator>? logger = null)
        : this(dns, Random.Shared, logger)
    {
    }

    internal SipServerLocator(IDnsResolver dns, Random random, ILogger<SipServerLocator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
        _random = random;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The targets for <paramref name="uri"/> in the order to try (RFC 3263 §4.4 failover walks this list).</summary>
    /// <exception cref="SipLocationException">Not a sip/sips URI, an unsupported transport, or no address found; the message says what was tried.</exception>
    public async Task<IReadOnlyList<SipTarget>> ResolveAsync(SipUri uri, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsSip || !(string.Equals(uri.Scheme, "sip", StringComparison.OrdinalIgnoreCase) || string.Equals(uri.Scheme, "sips", StringComparison.OrdinalIgnoreCase)))
        {
            throw new SipLocationException($"cannot locate a server for '{uri}': scheme '{uri.Scheme}' is not sip or sips");
        }
        var secure = string.Equals(uri.Scheme, "sips", StringComparison.OrdinalIgnoreCase);
        SipTransportProtocol? protocol = uri.Transport switch
        {
            null => secure ? SipTransportProtocol.Tls : null,
            "udp" when !secure => SipTransportProtocol.Udp,
            "tcp" => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => throw new SipLocationException($"cannot locate a server for '{uri}': transport '{uri.Transport}' is not supported{(secure ? " with sips" : "")}"),
        };
        var host = uri.Host.Trim('[', ']');
        var tlsName = IPAddress.TryParse(host, out var literal) ? null : host;
        List<SipTarget> targets;
        if (literal is not null)
        {
            var p = protocol ?? SipTransportProtocol.Udp;
            targets = [new SipTarget(new IPEndPoint(literal, uri.Port ?? DefaultPort(p)), p)];
        }
        else if (uri.Port is { } port)
        {
            var p = protocol ?? SipTransportProtocol.Udp;
            targets = await AddressTargetsAsync(host, port, p, tlsName, uri, ct).ConfigureAwait(false);
        }
        else
        {
            targets = await SrvTargetsAsync(host, protocol, tlsName, uri, ct).ConfigureAwait(false);
        }
        if (targets.Count == 0) throw new SipLocationException($"'{uri}' resolved to no address (SRV, A and AAAA for '{host}' tried)");
        if (protocol is not null) targets = targets.Select(t => t with { IsTransportExplicit = true }).ToList();
        Log.Resolved(_logger, uri.ToString(), string.Join(", ", targets));
        return targets;
    }

    /// <summary>The UDP targets of <see cref="ResolveAsync"/> as endpoints.</summary>
    /// <exception cref="SipLocationException">No UDP target exists for <paramref name="uri"/>.</exception>
    public async ValueTask<IReadOnlyList<IPEndPoint>> LocateAsync(SipUri uri, CancellationToken ct)
    {
        var targets = await ResolveAsync(uri, ct).ConfigureAwait(false);
        var udp = targets.Where(t => t.Protocol == SipTransportProtocol.Udp).Select(t => t.EndPoint).ToArray();
        if (udp.Length == 0) throw new SipLocationException($"'{uri}' has no UDP target (found: {string.Join(", ", targets)})");
        return udp;
    }

    /// <summary>RFC 2782 order: ascending priority; within one priority, repeated weighted random picks (weight 0 rarely first).</summary>
    internal static List<SrvRecord> Order(IEnumerable<SrvRecord> records, Random random)
    {
        var ordered = new List<SrvRecord>();
        foreach (var group in records.Where(r => r.Target != ".").GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            var pool = group.OrderBy(r => r.Weight == 0 ? 0 : 1).ToList();
            while (pool.Count > 0)
            {
                var total = pool.Sum(r => (int)r.Weight);
                var pick = random.Next(0, total + 1);
                var running = 0;
                var index = 0;
                for (; index < pool.Count; index++)
                {
                    running += pool[index].Weight;
                    if (running >= pick) break;
                }
                index = Math.Min(index, pool.Count - 1);
                ordered.Add(pool[index]);
                pool.RemoveAt(index);
            }
        }
        return ordered;
    }

    private async Task<List<SipTarget>> SrvTargetsAsync(string host, SipTransportProtocol? protocol, string? tlsName, SipUri uri, CancellationToken ct)
    {
        var services = protocol switch
        {
            SipTransportProtocol.Tls => new[] { ("_sips._tcp.", SipTransportProtocol.Tls) },
            SipTransportProtocol.Tcp => [("_sip._tcp.", SipTransportProtocol.Tcp)],
            SipTransportProtocol.Udp => [("_sip._udp.", SipTransportProtocol.Udp)],
            _ => [("_sip._udp.", SipTransportProtocol.Udp), ("_sip._tcp.", SipTransportProtocol.Tcp)],
        };
        var targets = new List<SipTarget>();
        var anySrv = false;
        foreach (var (prefix, p) in services)
        {
            IReadOnlyList<SrvRecord> records;
            try
            {
                records = await _dns.QuerySrvAsync(prefix + host, ct).ConfigureAwait(false);
            }
            catch (DnsResolutionException ex)
            {
                Log.SrvFailed(_logger, prefix + host, ex.Message);
                continue;
            }
            if (records.Count == 0) continue;
            anySrv = true;
            foreach (var record in Order(records, _random))
            {
                targets.AddRange(await AddressTargetsAsync(record.Target, record.Port, p, tlsName, uri, ct, quiet: true).ConfigureAwait(false));
            }
        }
        if (anySrv) return targets;
        var fallback = protocol ?? SipTransportProtocol.Udp;
        return await AddressTargetsAsync(host, DefaultPort(fallback), fallback, tlsName, uri, ct).ConfigureAwait(false);
    }

    private async Task<List<SipTarget>> AddressTargetsAsync(string host, int port, SipTransportProtocol protocol, string? tlsName, SipUri uri,
        CancellationToken ct, bool quiet = false)
    {
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await _dns.QueryAddressesAsync(host, ct).ConfigureAwait(false);
        }
        catch (DnsResolutionException ex)
        {
            if (quiet)
            {
                Log.SrvFailed(_logger, host, ex.Message);
                return [];
            }
            throw new SipLocationException($"cannot resolve '{host}' for '{uri}': {ex.Message}", ex);
        }
        return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .Select(a => new SipTarget(new IPEndPoint(a, port), protocol, protocol == SipTransportProtocol.Tls ? tlsName : null)).ToList();
    }

    private static int DefaultPort(SipTransportProtocol protocol) => protocol == SipTransportProtocol.Tls ? 5061 : 5060;
}
