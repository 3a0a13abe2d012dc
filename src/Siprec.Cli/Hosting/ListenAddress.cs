using Siprec.Sip.Transport;

namespace Siprec.Cli.Hosting;

/// <summary>
/// A SIP listen address given on the command line as <c>udp:HOST:PORT</c>, <c>tcp:HOST:PORT</c>, <c>tls:HOST:PORT</c>
/// or <c>HOST:PORT</c> (UDP); HOST is an IP address, IPv6 in brackets (RFC 3261 §18 transports).
/// </summary>
internal static class ListenAddress
{
    /// <summary>Parses an address of any transport (the grammar of <see cref="SipListenEndPoint.TryParse"/>); the error names the option and the value.</summary>
    public static bool TryParseListener(string text, string option, out SipListenEndPoint? listen, out string? error)
    {
        error = null;
        if (SipListenEndPoint.TryParse(text, out listen, out var why)) return true;
        error = $"{option} '{text}': {why}";
        return false;
    }
}
