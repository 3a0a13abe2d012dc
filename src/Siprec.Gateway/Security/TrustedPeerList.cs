using System.Net;

namespace Siprec.Gateway.Security;

/// <summary>The set of source ranges the gateway serves (<see cref="GatewayOptions.TrustedPeers"/>); everything else gets 403.</summary>
internal sealed class TrustedPeerList
{
    private readonly IReadOnlyList<CidrRange> _ranges;

    private TrustedPeerList(IReadOnlyList<CidrRange> ranges) => _ranges = ranges;

    /// <summary>Parses every entry.</summary>
    /// <exception cref="ArgumentException">An entry is not an address or CIDR range; the message names it.</exception>
    public static TrustedPeerList Parse(IEnumerable<string> entries)
    {
        var ranges = new List<CidrRange>();
        foreach (var entry in entries)
        {
            if (!CidrRange.TryParse(entry, out var range, out var error))
            {
                throw new ArgumentException($"TrustedPeers: {error}", nameof(entries));
            }
            ranges.Add(range!);
        }
        return new TrustedPeerList(ranges);
    }

    /// <summary>True when <paramref name="address"/> is inside one of the ranges.</summary>
    public bool IsTrusted(IPAddress address)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
