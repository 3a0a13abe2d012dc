using System.Net;

namespace Siprec.Cli.Hosting;

/// <summary>A listen address given on the command line as <c>udp:HOST:PORT</c> or <c>HOST:PORT</c>.</summary>
internal static class ListenAddress
{
    /// <summary>Parses <paramref name="text"/>; the error names the option and the value.</summary>
    public static bool TryParse(string text, string option, out IPEndPoint endPoint, out string? error)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        error = null;
        var value = text.Trim();
        if (value.StartsWith("udp:", StringComparison.OrdinalIgnoreCase)) value = value[4..];
        else if (value.Contains(':') && value.Split(':')[0] is "tcp" or "tls")
        {
            error = $"{option} '{text}': only udp is supported by this build";
            return false;
        }
        if (!IPEndPoint.TryParse(value, out var parsed) || value.IndexOf(':') < 0)
        {
            error = $"{option} '{text}': expected udp:HOST:PORT with an IP address, e.g. udp:127.0.0.1:5060";
            return false;
        }
        endPoint = parsed;
        return true;
    }
}
