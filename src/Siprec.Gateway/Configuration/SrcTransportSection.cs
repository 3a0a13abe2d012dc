using System.Net;
using System.Security.Cryptography.X509Certificates;
using Newtonsoft.Json.Linq;
using Siprec.Sip.Location;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// How the SRC reaches its recorders beyond the connectors themselves: the <c>dns</c> section (servers for the RFC 3263
/// lookups of connector URIs) and <c>srcTls</c> (the roots it trusts for <c>sips:</c>/TLS recorders, RFC 3261 §26).
/// </summary>
internal sealed class SrcTransportSection
{
    private readonly ConfigurationFileReader _reader;
    private readonly string _baseDirectory;

    public SrcTransportSection(ConfigurationFileReader reader, string baseDirectory)
    {
        _reader = reader;
        _baseDirectory = baseDirectory;
    }

    public DnsOptions ReadDns(JToken token)
    {
        _reader.NoUnknownKeys(_reader.Object(token), ["servers", "timeoutMs", "attempts"]);
        var dns = DnsOptions.FromResolvConf();
        if (token["servers"] is { } serversToken)
        {
            var servers = new List<IPEndPoint>();
            foreach (var item in _reader.Array(serversToken))
            {
                var text = _reader.String(item);
                if (!DnsOptions.TryParseServer(text, out var server)) throw _reader.Bad(item, $"'{text}' is not HOST:PORT with an IP address");
                servers.Add(server!);
            }
            if (servers.Count == 0) throw _reader.Bad(serversToken, "needs at least one HOST:PORT (leave the key out to use /etc/resolv.conf)");
            dns = dns with { Servers = servers };
        }
        if (token["timeoutMs"] is { } timeoutMs) dns = dns with { Timeout = TimeSpan.FromMilliseconds(_reader.Int(timeoutMs, 1, 60_000)) };
        if (token["attempts"] is { } attempts) dns = dns with { Attempts = _reader.Int(attempts, 1, 10) };
        return dns;
    }

    // Roots replace the system store for the SRC's TLS (TlsOptions.TrustedRoots); absent key: the system store.
    public TlsOptions ReadSrcTls(JToken token)
    {
        var srcTls = _reader.Object(token);
        _reader.NoUnknownKeys(srcTls, ["trustedRoots", "checkRevocation"]);
        var tls = new TlsOptions();
        if (srcTls["checkRevocation"] is { } revocation) tls = tls with { CheckCertificateRevocation = _reader.Bool(revocation) };
        if (srcTls["trustedRoots"] is not { } rootsToken) return tls;
        var files = _reader.Array(rootsToken);
        if (files.Count == 0) throw _reader.Bad(rootsToken, "needs at least one PEM file (leave the key out to use the system store)");
        var roots = new X509Certificate2Collection();
        foreach (var file in files)
        {
            var path = Path.GetFullPath(_reader.String(file), _baseDirectory);
            if (!TrustedRootsFile.TryLoad(path, $"{_reader.Source}: {file.Path}", roots, out var error))
            {
                foreach (var root in roots) root.Dispose();
                throw new GatewayConfigurationException(error!);
            }
        }
        return tls with { TrustedRoots = roots };
    }
}
