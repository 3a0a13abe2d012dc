using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Gateway.Security;
using Siprec.Recording.Connectors;
using Siprec.Sip.Location;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// Reads the gateway's one JSON configuration file (see <c>samples/config/gateway.json</c>): listen addresses (<c>sip</c>:
/// one <c>udp:|tcp:|tls:HOST:PORT</c> or an array of them, the first UDP one being <see cref="GatewayOptions.SipEndPoint"/>,
/// or an object <c>{ "listen": …, "udpMaxBytes": 1300, … }</c> that also sets <see cref="GatewayOptions.UdpMaxBytes"/> and the
/// TCP/TLS listener bounds of <see cref="GatewayOptions.StreamTransport"/>: <c>headerReadTimeoutMs</c>, <c>idleTimeoutSecs</c>,
/// <c>maxConnections</c>, <c>maxConnectionsPerAddress</c>;
/// <c>tls.certificate</c> and <c>tls.password</c> for TLS listeners, the path relative to the file), trusted
/// peers, limits, timeouts, accounts and tokens, connectors (URIs, standby <c>failoverUris</c>, transport, digest credentials, session timer,
/// OPTIONS ping interval <c>pingIntervalSecs</c> 0..3600, extra headers, <c>recordingRequired</c>), the gateway's recording-required
/// default (top-level <c>recordingRequired</c>, true or false, default false), DNS servers, callbacks, and how long ended calls' SIPREC sessions stay readable by the REST API
/// (<c>retention.endedCallSecs</c>, 0..604800, default 3600; <c>retention.maxEndedCalls</c>, 0..1000000, default 1000;
/// 0 keeps none), and the roots the SRC trusts for <c>sips:</c>/TLS recorders (<c>srcTls.trustedRoots</c>: PEM files
/// relative to the file, instead of the system store; <c>srcTls.checkRevocation</c>). Cluster mode, drain and health: the <c>cluster</c> section (<c>GatewayConfigurationFile.Cluster.cs</c>). Every key is checked at start-up; an unknown or bad key fails with a message that names it (its
/// JSON path). Secrets never appear in a message. Loaded TLS certificates and roots are the caller's to dispose.
/// </summary>
public static partial class GatewayConfigurationFile
{
    private static readonly string[] TopKeys =
        ["sip", "tls", "http", "mediaAddress", "flow", "prompts", "trustedPeers", "limits", "accounts", "defaultAccount", "connectors", "callbacks", "dns", "retention", "srcTls", "recordingRequired", "restPublicUrl", "edges", "twiml", "numbers", "media", "otlp", "cluster"];

    private static readonly string[] ConnectorKeys =
        ["name", "uris", "failoverUris", "transport", "secure", "userName", "password", "realm", "sessionTimeoutSecs", "pingIntervalSecs", "headers", "recordingRequired"];

    /// <summary>Loads and validates <paramref name="path"/> into options; relative flow and prompt paths resolve against the file's folder.</summary>
    /// <exception cref="GatewayConfigurationException">The file is missing, not JSON, or a key is unknown or invalid (named in the message).</exception>
    public static GatewayOptions Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException($"{path}: cannot read the configuration file: {ex.Message}", ex);
        }
        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", path);
    }

    /// <summary>Validates configuration JSON into options.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="baseDirectory">Where relative paths resolve.</param>
    /// <param name="source">The file name used in messages.</param>
    /// <exception cref="GatewayConfigurationException">Not JSON, or a key is unknown or invalid (named in the message).</exception>
    public static GatewayOptions Parse(string json, string baseDirectory, string source = "configuration")
    {
        JObject root;
        try
        {
            root = JObject.Parse(json, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
        }
        catch (JsonException ex)
        {
            throw new GatewayConfigurationException($"{source}: not a JSON object: {ex.Message}", ex);
        }
        var reader = new Reader(source);
        reader.NoUnknownKeys(root, TopKeys);
        var options = new GatewayOptions();
        if (root["sip"] is { } sip)
        {
            options = ReadListeners(sip, reader, options);
        }
        options = options with { TlsCertificate = ReadTlsCertificate(root["tls"], reader, baseDirectory, options) };
        if (root["http"] is { } http)
        {
            options = options with { HttpEndPoint = reader.EndPoint(http) };
        }
        options = options with { MediaAddress = root["mediaAddress"] is { } media ? reader.Address(media) : options.ListenEndPoints[0].EndPoint.Address };
        options = ReadMedia(root["media"], reader, options);
        if (root["flow"] is { Type: not JTokenType.Null } flow)
        {
            var flowPath = Path.GetFullPath(reader.String(flow), baseDirectory);
            if (!File.Exists(flowPath)) throw reader.Bad(flow, $"file '{flowPath}' not found");
            options = options with { FlowPath = flowPath };
        }
        if (root["prompts"] is { } prompts)
        {
            options = options with { PromptDirectory = Path.GetFullPath(reader.String(prompts), baseDirectory) };
        }
        if (root["trustedPeers"] is { } trusted)
        {
            var entries = reader.Strings(trusted);
            for (var i = 0; i < entries.Count; i++)
            {
                if (!CidrRange.TryParse(entries[i], out _, out var error)) throw reader.Bad(trusted[i]!, error!);
            }
            options = options with { TrustedPeers = entries };
        }
        if (root["limits"] is { } limits)
        {
            reader.NoUnknownKeys(reader.Object(limits), ["maxRecorders", "noAnswerTimeoutMs", "operationTimeoutMs", "streamsPerCall"]);
            if (limits["operationTimeoutMs"] is { } operation) options = options with { OperationTimeout = TimeSpan.FromMilliseconds(reader.Int(operation, 500, 60_000)) };
            if (limits["maxRecorders"] is { } max) options = options with { MaxRecorders = reader.Int(max, 1, 16) };
            if (limits["streamsPerCall"] is { } streams) options = options with { StreamBudget = reader.Int(streams, 1, 16) };
            if (limits["noAnswerTimeoutMs"] is { } noAnswer) options = options with { NoAnswerTimeout = TimeSpan.FromMilliseconds(reader.Int(noAnswer, 100, 60_000)) };
        }
        if (root["cluster"] is { } cluster)
        {
            options = options with { Cluster = ReadCluster(cluster, reader) };
        }
        if (root["recordingRequired"] is { } required)
        {
            options = options with { RecordingRequired = reader.Bool(required) };
        }
        options = ReadApplications(root, reader, baseDirectory, options);
        options = options with { Accounts = ReadAccounts(root["accounts"], reader) };
        if (root["defaultAccount"] is { Type: not JTokenType.Null } defaultAccount)
        {
            var sid = reader.String(defaultAccount);
            if (options.Accounts.All(a => a.Sid != sid)) throw reader.Bad(defaultAccount, $"'{sid}' is not the sid of one of the accounts");
            options = options with { DefaultAccountSid = sid };
        }
        if (root["edges"] is { } edges)
        {
            options = options with { Edges = ReadEdges(edges, reader) };
        }
        options = options with { Connectors = ReadConnectors(root["connectors"], reader, options.MaxRecorders) };
        try
        {
            options = options with { Connectors = ConnectorEdges.Resolve(options.Connectors, options.Edges) };
        }
        catch (ArgumentException ex)
        {
            throw new GatewayConfigurationException($"{reader.Source}: connectors: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
        CheckDefaultConnectors(root["accounts"], options, reader);
        if (root["restPublicUrl"] is { Type: not JTokenType.Null } publicUrl)
        {
            var text = reader.String(publicUrl);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath != "/" || url.Query.Length > 0)
                throw reader.Bad(publicUrl, $"'{text}' is not an absolute http or https URL of scheme, host and port only");
            options = options with { RestPublicUrl = url };
        }
        if (root["otlp"] is { Type: not JTokenType.Null } otlp)
        {
            reader.NoUnknownKeys(reader.Object(otlp), ["endpoint"]);
            var text = otlp["endpoint"] is { } endpoint ? reader.String(endpoint) : throw reader.Bad(otlp, "otlp needs an endpoint");
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw reader.Bad(otlp["endpoint"]!, $"'{text}' is not an absolute http or https URL (e.g. http://127.0.0.1:4317)");
            options = options with { OtlpEndpoint = url };
        }
        if (root["dns"] is { } dns)
        {
            options = options with { Dns = ReadDns(dns, reader) };
        }
        if (root["callbacks"] is { } callbacks)
        {
            reader.NoUnknownKeys(reader.Object(callbacks), ["maxAttempts", "firstRetryDelayMs", "timeoutMs", "queueCapacity"]);
            var c = options.Callbacks;
            if (callbacks["maxAttempts"] is { } attempts) c = c with { MaxAttempts = reader.Int(attempts, 1, 10) };
            if (callbacks["firstRetryDelayMs"] is { } delay) c = c with { FirstRetryDelay = TimeSpan.FromMilliseconds(reader.Int(delay, 0, 600_000)) };
            if (callbacks["timeoutMs"] is { } timeout) c = c with { RequestTimeout = TimeSpan.FromMilliseconds(reader.Int(timeout, 100, 120_000)) };
            if (callbacks["queueCapacity"] is { } capacity) c = c with { QueueCapacity = reader.Int(capacity, 1, 1_000_000) };
            options = options with { Callbacks = c };
        }
        if (root["srcTls"] is { } srcTls)
        {
            options = options with { SrcTls = ReadSrcTls(srcTls, reader, baseDirectory) };
        }
        if (root["retention"] is { } retention)
        {
            reader.NoUnknownKeys(reader.Object(retention), ["endedCallSecs", "maxEndedCalls"]);
            var r = options.EndedCallRetention;
            if (retention["endedCallSecs"] is { } secs) r = r with { Time = TimeSpan.FromSeconds(reader.Int(secs, 0, 7 * 86_400)) };
            if (retention["maxEndedCalls"] is { } max) r = r with { MaxCalls = reader.Int(max, 0, EndedCallRetentionOptions.MaxCallsLimit) };
            options = options with { EndedCallRetention = r };
        }
        return options;
    }

    // tls.certificate is required by a tls: listener and refused without one (it would never be used).
    private static X509Certificate2? ReadTlsCertificate(JToken? token, Reader reader, string baseDirectory, GatewayOptions options)
    {
        var tlsListener = options.ListenEndPoints.FirstOrDefault(l => l.Transport == Siprec.Sip.Transport.SipTransportProtocol.Tls);
        if (token is null)
        {
            if (tlsListener is not null) throw new GatewayConfigurationException($"{reader.Source}: tls.certificate: required by the TLS listener {tlsListener} (a TLS server presents a certificate, RFC 3261 §26.3.1)");
            return null;
        }
        var tls = reader.Object(token);
        reader.NoUnknownKeys(tls, ["certificate", "password"]);
        var pathToken = reader.Required(tls, "certificate");
        if (tlsListener is null) throw reader.Bad(pathToken, "no tls:HOST:PORT listener in sip, so the certificate would not be used");
        var path = Path.GetFullPath(reader.String(pathToken), baseDirectory);
        // The password's value is never put in a message: only its key is named.
        var password = tls["password"] is { } p ? reader.String(p, secret: true) : null;
        if (!TlsCertificateFile.TryLoad(path, password, $"{reader.Source}: {pathToken.Path}", "tls.password", out var certificate, out var error))
            throw new GatewayConfigurationException(error!);
        return certificate;
    }

    // Roots replace the system store for the SRC's TLS (TlsOptions.TrustedRoots); absent key: the system store.
    private static TlsOptions ReadSrcTls(JToken token, Reader reader, string baseDirectory)
    {
        var srcTls = reader.Object(token);
        reader.NoUnknownKeys(srcTls, ["trustedRoots", "checkRevocation"]);
        var tls = new TlsOptions();
        if (srcTls["checkRevocation"] is { } revocation) tls = tls with { CheckCertificateRevocation = reader.Bool(revocation) };
        if (srcTls["trustedRoots"] is not { } rootsToken) return tls;
        var files = reader.Array(rootsToken);
        if (files.Count == 0) throw reader.Bad(rootsToken, "needs at least one PEM file (leave the key out to use the system store)");
        var roots = new X509Certificate2Collection();
        foreach (var file in files)
        {
            var path = Path.GetFullPath(reader.String(file), baseDirectory);
            if (!TrustedRootsFile.TryLoad(path, $"{reader.Source}: {file.Path}", roots, out var error))
            {
                foreach (var root in roots) root.Dispose();
                throw new GatewayConfigurationException(error!);
            }
        }
        return tls with { TrustedRoots = roots };
    }

    private static List<GatewayAccount> ReadAccounts(JToken? token, Reader reader)
    {
        var accounts = new List<GatewayAccount>();
        if (token is null) return accounts;
        foreach (var item in reader.Array(token))
        {
            var obj = reader.Object(item);
            reader.NoUnknownKeys(obj, ["sid", "authToken", "apiKeys", "defaultConnector", .. ApplicationKeys]);
            var sid = reader.String(reader.Required(obj, "sid"));
            if (accounts.Any(a => a.Sid == sid)) throw reader.Bad(obj["sid"]!, $"account '{sid}' is listed twice");
            if (sid.Any(c => !char.IsAsciiLetterOrDigit(c))) throw reader.Bad(obj["sid"]!, "letters and digits only");
            // The token's value is never put in a message: only its key is named.
            var token2 = reader.String(reader.Required(obj, "authToken"), secret: true);
            if (token2.Length < 16) throw reader.Bad(obj["authToken"]!, "must be at least 16 characters");
            var keys = obj["apiKeys"] is { } k ? reader.Strings(k, secret: true) : [];
            var defaultConnector = obj["defaultConnector"] is { Type: not JTokenType.Null } d ? reader.String(d) : null;
            accounts.Add(new GatewayAccount(sid, token2, keys) { DefaultConnector = defaultConnector, Application = ReadAccountApplication(obj, reader) });
        }
        return accounts;
    }

    // Named egresses for a connector URI's ;edge=NAME (Twilio's edge locations): transport:HOST:PORT each.
    private static Dictionary<string, SipListenEndPoint> ReadEdges(JToken token, Reader reader)
    {
        var edges = new Dictionary<string, SipListenEndPoint>(StringComparer.Ordinal);
        foreach (var edge in reader.Object(token).Properties())
        {
            var text = reader.String(edge.Value);
            if (!SipListenEndPoint.TryParse(text, out var egress, out var why)) throw reader.Bad(edge.Value, $"'{text}': {why}");
            edges[edge.Name] = egress!;
        }
        return edges;
    }

    // Connectors are read after accounts: a defaultConnector naming none of them is a start-up error naming the account.
    private static void CheckDefaultConnectors(JToken? accountsToken, GatewayOptions options, Reader reader)
    {
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            if (options.Accounts[i].DefaultConnector is { } name && !options.Connectors.TryGet(name, out _))
            {
                var token = accountsToken![i]!["defaultConnector"]!;
                throw reader.Bad(token, $"account '{options.Accounts[i].Sid}': defaultConnector '{name}' is not one of the connectors");
            }
        }
    }

    private static SrsConnectorOptions ReadConnectors(JToken? token, Reader reader, int maxRecorders)
    {
        var connectors = new SrsConnectorOptions();
        if (token is null) return connectors;
        foreach (var item in reader.Array(token))
        {
            var obj = reader.Object(item);
            reader.NoUnknownKeys(obj, ConnectorKeys);
            var name = reader.String(reader.Required(obj, "name"));
            if (connectors.Connectors.ContainsKey(name)) throw reader.Bad(obj["name"]!, $"connector '{name}' is listed twice");
            var uris = reader.Strings(reader.Required(obj, "uris"));
            if (!SrsUriList.TryParse(string.Join(",", uris), maxRecorders, out var parsed, out var error)) throw reader.Bad(obj["uris"]!, error!.Text);
            var connector = new SrsConnector { Uris = [.. parsed] };
            // Standbys for failover mid-call (issue 11): sip:/sips: only, like uris; tried one at a time, in order.
            if (obj["failoverUris"] is { } failover)
            {
                var standbys = reader.Strings(failover);
                if (standbys.Count > SrsConnectorOptions.MaxFailoverUris)
                    throw reader.Bad(failover, $"at most {SrsConnectorOptions.MaxFailoverUris} standby URIs, was {standbys.Count}");
                if (standbys.Count > 0)
                {
                    if (!SrsUriList.TryParse(string.Join(",", standbys), SrsConnectorOptions.MaxFailoverUris, out var parsedStandbys, out var standbyError))
                        throw reader.Bad(failover, standbyError!.Text);
                    connector.FailoverUris = [.. parsedStandbys];
                }
            }
            if (obj["transport"] is { } transport)
            {
                connector.Transport = reader.String(transport).ToLowerInvariant();
                if (connector.Transport is not ("udp" or "tcp" or "tls")) throw reader.Bad(transport, $"must be udp, tcp or tls, was '{connector.Transport}'");
            }
            if (obj["secure"] is { } secure) connector.Secure = reader.Bool(secure);
            if (obj["userName"] is { } user) connector.UserName = reader.String(user);
            // The password's value is never put in a message: only its key is named.
            if (obj["password"] is { } password) connector.Password = reader.String(password, secret: true);
            if (obj["realm"] is { } realm) connector.Realm = reader.String(realm);
            if (obj["sessionTimeoutSecs"] is { } timeout)
            {
                connector.SessionTimeoutSecs = reader.Int(timeout, 0, 86_400);
                if (connector.SessionTimeoutSecs is > 0 and < 90) throw reader.Bad(timeout, $"must be 0 (off) or at least 90 (RFC 4028 Min-SE), was {connector.SessionTimeoutSecs}");
            }
            // In-dialog OPTIONS keep-alive (RFC 3261 §11): 0 turns it off; absent = the SRC's default, 10 s.
            if (obj["pingIntervalSecs"] is { } ping) connector.PingIntervalSecs = reader.Int(ping, 0, SrsConnectorOptions.MaxPingIntervalSecs);
            // Recording-required policy of this connector's calls; absent = the gateway's top-level recordingRequired.
            if (obj["recordingRequired"] is { } required) connector.RecordingRequired = reader.Bool(required);
            if (string.IsNullOrEmpty(connector.UserName) != string.IsNullOrEmpty(connector.Password))
                throw reader.Bad(obj, "userName and password must be set together");
            if (obj["headers"] is { } headers)
            {
                foreach (var header in reader.Object(headers).Properties())
                {
                    if (CustomHeaderPolicy.Refusal(header.Name) is { } refusal)
                        throw reader.Bad(header, $"connector '{name}': '{RecordingErrorTexts.Printable(header.Name)}' is not a header the SRC may add: {refusal}");
                    // Header values may carry tenant keys: like secrets, only their key is named.
                    connector.Headers[header.Name] = reader.String(header.Value, secret: true);
                }
            }
            var single = new SrsConnectorOptions { Connectors = { [name] = connector } };
            try
            {
                single.Validate();
            }
            catch (ArgumentException ex)
            {
                throw reader.Bad(obj, ex.Message);
            }
            connectors.Connectors[name] = connector;
        }
        return connectors;
    }

    private static DnsOptions ReadDns(JToken token, Reader reader)
    {
        reader.NoUnknownKeys(reader.Object(token), ["servers", "timeoutMs", "attempts"]);
        var dns = DnsOptions.FromResolvConf();
        if (token["servers"] is { } serversToken)
        {
            var servers = new List<IPEndPoint>();
            foreach (var item in reader.Array(serversToken))
            {
                var text = reader.String(item);
                if (!DnsOptions.TryParseServer(text, out var server)) throw reader.Bad(item, $"'{text}' is not HOST:PORT with an IP address");
                servers.Add(server!);
            }
            if (servers.Count == 0) throw reader.Bad(serversToken, "needs at least one HOST:PORT (leave the key out to use /etc/resolv.conf)");
            dns = dns with { Servers = servers };
        }
        if (token["timeoutMs"] is { } timeoutMs) dns = dns with { Timeout = TimeSpan.FromMilliseconds(reader.Int(timeoutMs, 1, 60_000)) };
        if (token["attempts"] is { } attempts) dns = dns with { Attempts = reader.Int(attempts, 1, 10) };
        return dns;
    }

    private sealed class Reader(string source)
    {
        public string Source => source;

        public GatewayConfigurationException Bad(JToken token, string why) => new($"{source}: {token.Path}: {why}");

        public void NoUnknownKeys(JObject obj, string[] known)
        {
            foreach (var property in obj.Properties())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                    throw new GatewayConfigurationException($"{source}: {property.Path}: unknown key (expected one of {string.Join(", ", known)})");
            }
        }

        public JToken Required(JObject obj, string key) =>
            obj[key] ?? throw new GatewayConfigurationException($"{source}: {(obj.Path.Length == 0 ? key : obj.Path + "." + key)}: required");

        public JObject Object(JToken token) => token as JObject ?? throw Bad(token, "must be an object");

        public JArray Array(JToken token) => token as JArray ?? throw Bad(token, "must be an array");

        public string String(JToken token, bool secret = false)
        {
            if (token.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)token)) throw Bad(token, "must be a non-empty string");
            var value = ((string)token!).Trim();
            if (value.Any(char.IsControl)) throw Bad(token, secret ? "contains a control character" : $"'{RecordingErrorTexts.Printable(value)}' contains a control character");
            return value;
        }

        public bool Bool(JToken token) => token.Type == JTokenType.Boolean ? (bool)token : throw Bad(token, "must be true or false");

        public List<string> Strings(JToken token, bool secret = false) => Array(token).Select(t => String(t, secret)).ToList();

        public int Int(JToken token, int min, int max)
        {
            if (token.Type != JTokenType.Integer) throw Bad(token, "must be a whole number");
            var value = (long)token;
            if (value < min || value > max) throw Bad(token, string.Create(CultureInfo.InvariantCulture, $"must be {min}..{max}, was {value}"));
            return (int)value;
        }

        public IPAddress Address(JToken token)
        {
            var text = String(token);
            return IPAddress.TryParse(text, out var address) ? address : throw Bad(token, $"'{text}' is not an IP address");
        }

        public IPEndPoint EndPoint(JToken token)
        {
            var text = String(token);
            if (text.Contains("://", StringComparison.Ordinal) || !IPEndPoint.TryParse(text, out var endPoint) || !text.Contains(':'))
            {
                throw Bad(token, $"'{text}' is not HOST:PORT with an IP address");
            }
            return endPoint;
        }
    }
}
