using System.Globalization;
using System.Net;

namespace Siprec.Media.Rtpengine;

/// <summary>One rtpengine's ng control address and its share of new calls (OpenSIPS/Kamailio <c>rtpengine</c> module sets use the same form).</summary>
/// <param name="EndPoint">The ng listener (<c>--listen-ng</c>), UDP.</param>
/// <param name="Weight">Relative share of new calls among the instances that answer; at least 1.</param>
public sealed record RtpengineInstance(IPEndPoint EndPoint, int Weight)
{
    /// <summary>
    /// Reads <c>udp:HOST:PORT</c> or <c>udp:HOST:PORT=WEIGHT</c> (the Kamailio <c>rtpengine_sock</c> form), HOST an IPv4 or a
    /// bracketed IPv6 literal. False with a reason for anything else (no DNS: a media engine is configured by address).
    /// </summary>
    public static bool TryParse(string? text, out RtpengineInstance? instance, out string? error)
    {
        instance = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith("udp:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{text}' is not udp:HOST:PORT[=WEIGHT]";
            return false;
        }

        var rest = text[4..];
        var weight = 1;
        var equals = rest.LastIndexOf('=');
        if (equals >= 0)
        {
            if (!int.TryParse(rest[(equals + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight < 1)
            {
                error = $"'{text}': the weight must be a whole number of at least 1";
                return false;
            }
            rest = rest[..equals];
        }

        if (!IPEndPoint.TryParse(rest, out var endPoint) || endPoint.Port == 0)
        {
            error = $"'{text}': HOST:PORT must be an IP address and a port";
            return false;
        }

        instance = new RtpengineInstance(endPoint, weight);
        return true;
    }

    /// <summary>The <c>udp:HOST:PORT=WEIGHT</c> form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"udp:{EndPoint}={Weight}");
}
