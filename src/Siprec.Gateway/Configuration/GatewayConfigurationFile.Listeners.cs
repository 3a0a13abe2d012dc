using Newtonsoft.Json.Linq;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Configuration;

/// <summary>The <c>sip</c> section: listen addresses, the UDP size rule and the TCP/TLS listener bounds.</summary>
public static partial class GatewayConfigurationFile
{
    // One listen address or an array of them, or an object { listen, udpMaxBytes, stream bounds }; the first UDP one is
    // SipEndPoint (none: no UDP listener), the rest are additional.
    private static GatewayOptions ReadListeners(JToken sip, Reader reader, GatewayOptions options)
    {
        if (sip is JObject settings)
        {
            reader.NoUnknownKeys(settings, ["listen", "udpMaxBytes", "headerReadTimeoutMs", "idleTimeoutSecs", "maxConnections", "maxConnectionsPerAddress"]);
            if (settings["udpMaxBytes"] is { } max) options = options with { UdpMaxBytes = reader.Int(max, 0, 65_507) };
            options = options with { StreamTransport = ReadStreamBounds(settings, reader, options.StreamTransport) };
            if (settings["listen"] is not { } listen) throw reader.Bad(sip, "needs 'listen': one udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT or an array of them");
            sip = listen;
        }
        var tokens = sip is JArray array ? array.ToList() : [sip];
        if (tokens.Count == 0) throw reader.Bad(sip, "needs at least one udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT");
        var listeners = new List<SipListenEndPoint>();
        foreach (var token in tokens)
        {
            var text = reader.String(token);
            if (!SipListenEndPoint.TryParse(text, out var listener, out var why)) throw reader.Bad(token, $"'{text}': {why}");
            if (listeners.Contains(listener!)) throw reader.Bad(token, $"'{text}' is listed twice");
            listeners.Add(listener!);
        }
        var udp = listeners.FirstOrDefault(l => l.Transport == Siprec.Sip.Transport.SipTransportProtocol.Udp);
        return options with { SipEndPoint = udp?.EndPoint, AdditionalListenEndPoints = listeners.Where(l => !ReferenceEquals(l, udp)).ToList() };
    }

    // The bounds that keep idle or trickling connections from holding a TCP/TLS listener (issue 12); absent keys keep the defaults.
    private static StreamTransportOptions ReadStreamBounds(JObject settings, Reader reader, StreamTransportOptions stream)
    {
        if (settings["headerReadTimeoutMs"] is { } header) stream = stream with { HeaderReadTimeout = TimeSpan.FromMilliseconds(reader.Int(header, 100, 600_000)) };
        if (settings["idleTimeoutSecs"] is { } idle) stream = stream with { IdleTimeout = TimeSpan.FromSeconds(reader.Int(idle, 1, 86_400)) };
        if (settings["maxConnections"] is { } total) stream = stream with { MaxInboundConnections = reader.Int(total, 1, 1_000_000) };
        if (settings["maxConnectionsPerAddress"] is { } perAddress)
        {
            stream = stream with { MaxInboundConnectionsPerAddress = reader.Int(perAddress, 1, 1_000_000) };
            if (stream.MaxInboundConnectionsPerAddress > stream.MaxInboundConnections)
                throw reader.Bad(perAddress, $"must not exceed maxConnections ({stream.MaxInboundConnections})");
        }
        return stream;
    }
}
