using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Siprec.Gateway.Security;

/// <summary>
/// One address range in CIDR notation (RFC 4632; RFC 4291 §2.3 for IPv6). Unlike <see cref="IPNetwork"/> it accepts
/// host bits after the prefix ("127.0.0.1/8"), because operators write ranges that way.
/// </summary>
internal sealed class CidrRange
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private CidrRange(AddressFamily family, byte[] network, int prefixLength)
    {
        Family = family;
        _network = network;
        _prefixLength = prefixLength;
    }

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily Family { get; }

    /// <summary>Reads "address/prefix" or a bare address (one host); never throws.</summary>
    public static bool TryParse(string? text, out CidrRange? range, out string? error)
    {
        range = null;
        error = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = "empty CIDR range";
            return false;
        }
        var slash = trimmed.IndexOf('/');
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            error = $"'{trimmed}' is not an IP address or CIDR range";
            return false;
        }
        var bytes = address.GetAddressBytes();
        var maxPrefix = bytes.Length * 8;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(trimmed[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            error = $"'{trimmed}' has a prefix length outside 0..{maxPrefix}";
            return false;
        }
        range = new CidrRange(address.AddressFamily, Mask(bytes, prefix), prefix);
        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in the range; IPv4-mapped IPv6 addresses count as IPv4.</summary>
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 && Family == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != Family)
        {
            return false;
        }
        var masked = Mask(address.GetAddressBytes(), _prefixLength);
        return masked.AsSpan().SequenceEqual(_network);
    }

    /// <inheritdoc />
    public override string ToString() => $"{new IPAddress(_network)}/{_prefixLength}";

    private static byte[] Mask(byte[] bytes, int prefixLength)
    {
        var result = (byte[])bytes.Clone();
        for (var i = 0; i < result.Length; i++)
        {
            var bitsInByte = Math.Clamp(prefixLength - (i * 8), 0, 8);
            result[i] &= (byte)(0xFF << (8 - bitsInByte));
        }
        return result;
    }
}
