using System.Security.Cryptography.X509Certificates;
using Newtonsoft.Json.Linq;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>sip</c> section: listen addresses, the UDP size rule and the TCP/TLS listener bounds; and the <c>tls</c> section,
/// the certificate a TLS listener presents (RFC 3261 §26.3.1).
/// </summary>
internal sealed class ListenersSection
{
    private readonly ConfigurationFileReader _reader;
    private readonly string _baseDirectory;

    public ListenersSection(ConfigurationFileReader reader, string baseDirectory)
    {
        _reader = reader;
        _baseDirectory = baseDirectory;
    }

    // One listen address or an array of them, or an object { listen, udpMaxBytes, stream bounds }; the first UDP one is
    // SipEndPoint (none: no UDP listener), the rest are additional.
    public GatewayOptions Read(JToken sip, GatewayOptions options)
    {
        if (sip is JObject settings)
        {
            _reader.NoUnknownKeys(settings, ["listen", "udpMaxBytes", "headerReadTimeoutMs", "idleTimeoutSecs", "maxConnections", "maxConnectionsPerAddress"]);
            if (settings["udpMaxBytes"] is { } max) options = options with { UdpMaxBytes = _reader.Int(max, 0, 65_507) };
            options = options with { StreamTransport = ReadStreamBounds(settings, options.StreamTransport) };
            if (settings["listen"] is not { } listen) throw _reader.Bad(sip, "needs 'listen': one udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT or an array of them");
            sip = listen;
        }
        var tokens = sip is JArray array ? array.ToList() : [sip];
        if (tokens.Count == 0) throw _reader.Bad(sip, "needs at least one udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT");
        var listeners = new List<SipListenEndPoint>();
        foreach (var token in tokens)
        {
            var text = _reader.String(token);
            if (!SipListenEndPoint.TryParse(text, out var listener, out var why)) throw _reader.Bad(token, $"'{text}': {why}");
            if (listeners.Contains(listener!)) throw _reader.Bad(token, $"'{text}' is listed twice");
            listeners.Add(listener!);
        }
        var udp = listeners.FirstOrDefault(l => l.Transport == SipTransportProtocol.Udp);
        return options with { SipEndPoint = udp?.EndPoint, AdditionalListenEndPoints = listeners.Where(l => !ReferenceEquals(l, udp)).ToList() };
    }

    // tls.certificate is required by a tls: listener and refused without one (it would never be used).
    public X509Certificate2? ReadTlsCertificate(JToken? token, GatewayOptions options)
    {
        var tlsListener = options.ListenEndPoints.FirstOrDefault(l => l.Transport == SipTransportProtocol.Tls);
        if (token is null)
        {
            if (tlsListener is not null) throw new GatewayConfigurationException($"{_reader.Source}: tls.certificate: required by the TLS listener {tlsListener} (a TLS server presents a certificate, RFC 3261 §26.3.1)");
            return null;
        }
        var tls = _reader.Object(token);
        _reader.NoUnknownKeys(tls, ["certificate", "password"]);
        var pathToken = _reader.Required(tls, "certificate");
        if (tlsListener is null) throw _reader.Bad(pathToken, "no tls:HOST:PORT listener in sip, so the certificate would not be used");
        var path = Path.GetFullPath(_reader.String(pathToken), _baseDirectory);
        // The password's value is never put in a message: only its key is named.
        var password = tls["password"] is { } p ? _reader.String(p, secret: true) : null;
        if (!TlsCertificateFile.TryLoad(path, password, $"{_reader.Source}: {pathToken.Path}", "tls.password", out var certificate, out var error))
            throw new GatewayConfigurationException(error!);
        return certificate;
    }

    // The bounds that keep idle or trickling connections from holding a TCP/TLS listener (issue 12); absent keys keep the defaults.
    private StreamTransportOptions ReadStreamBounds(JObject settings, StreamTransportOptions stream)
    {
        if (settings["headerReadTimeoutMs"] is { } header) stream = stream with { HeaderReadTimeout = TimeSpan.FromMilliseconds(_reader.Int(header, 100, 600_000)) };
        if (settings["idleTimeoutSecs"] is { } idle) stream = stream with { IdleTimeout = TimeSpan.FromSeconds(_reader.Int(idle, 1, 86_400)) };
        if (settings["maxConnections"] is { } total) stream = stream with { MaxInboundConnections = _reader.Int(total, 1, 1_000_000) };
        if (settings["maxConnectionsPerAddress"] is { } perAddress)
        {
            stream = stream with { MaxInboundConnectionsPerAddress = _reader.Int(perAddress, 1, 1_000_000) };
            if (stream.MaxInboundConnectionsPerAddress > stream.MaxInboundConnections)
                throw _reader.Bad(perAddress, $"must not exceed maxConnections ({stream.MaxInboundConnections})");
        }
        return stream;
    }
}
