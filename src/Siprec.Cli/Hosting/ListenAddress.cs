using Siprec.Gateway;
using Siprec.Recorder;

namespace Siprec.Cli.Hosting;

/// <summary>
/// A SIP listen address given on the command line as <c>udp:HOST:PORT</c>, <c>tcp:HOST:PORT</c>, <c>tls:HOST:PORT</c>
/// or <c>HOST:PORT</c> (UDP); HOST is an IP address, IPv6 in brackets (RFC 3261 §18 transports).
/// </summary>
internal static class ListenAddress
{
    /// <summary>Parses an address of any transport (the grammar of <see cref="GatewayListenEndPoint.TryParse"/>); the error names the option and the value.</summary>
    public static bool TryParseListener(string text, string option, out SipListenEndPoint? listen, out string? error)
    {
        listen = null;
        if (!TryParseGatewayListener(text, option, out var parsed, out error)) return false;
        listen = new SipListenEndPoint(parsed!.Transport, parsed.EndPoint);
        return true;
    }

    /// <summary>Parses a gateway listen address of any transport; the error names the option and the value.</summary>
    public static bool TryParseGatewayListener(string text, string option, out GatewayListenEndPoint? listen, out string? error)
    {
        error = null;
        if (GatewayListenEndPoint.TryParse(text, out listen, out var why)) return true;
        error = $"{option} '{text}': {why}";
        return false;
    }
}
