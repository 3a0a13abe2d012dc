using System.Net;

namespace Siprec.Sip.Location;

/// <summary>The port to DNS used by server location (RFC 3263): SRV and address lookups.</summary>
public interface IDnsResolver
{
    /// <summary>The SRV records of <paramref name="name"/> (e.g. <c>_sip._udp.example.com</c>); empty when the name has none.</summary>
    /// <exception cref="DnsResolutionException">No server answered, or every answer was an error or malformed.</exception>
    Task<IReadOnlyList<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct);

    /// <summary>The A then AAAA addresses of <paramref name="host"/>; an IP literal is returned as is; empty when none exist.</summary>
    /// <exception cref="DnsResolutionException">No server answered, or every answer was an error or malformed.</exception>
    Task<IReadOnlyList<IPAddress>> QueryAddressesAsync(string host, CancellationToken ct);
}
