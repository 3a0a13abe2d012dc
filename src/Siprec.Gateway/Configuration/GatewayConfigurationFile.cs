using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.Security;

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
/// relative to the file, instead of the system store; <c>srcTls.checkRevocation</c>). Cluster mode, drain and health: the <c>cluster</c> section (<c>ClusterSection.cs</c>). Every key is checked at start-up; an unknown or bad key fails with a message that names it (its
/// JSON path). Secrets never appear in a message. Loaded TLS certificates and roots are the caller's to dispose.
/// </summary>
public static class GatewayConfigurationFile
{
    private static readonly string[] TopKeys =
        ["sip", "tls", "http", "mediaAddress", "flow", "prompts", "trustedPeers", "limits", "accounts", "defaultAccount", "connectors", "callbacks", "dns", "retention", "srcTls", "recordingRequired", "restPublicUrl", "edges", "twiml", "numbers", "media", "otlp", "cluster"];

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
        var reader = new ConfigurationFileReader(source);
        var listenersSection = new ListenersSection(reader, baseDirectory);
        var limitsSection = new LimitsSection(reader);
        var applicationsSection = new ApplicationsSection(reader, baseDirectory);
        var accountsSection = new AccountsSection(reader, applicationsSection);
        var connectorsSection = new ConnectorsSection(reader);
        var srcTransportSection = new SrcTransportSection(reader, baseDirectory);
        reader.NoUnknownKeys(root, TopKeys);
        var options = new GatewayOptions();
        if (root["sip"] is { } sip)
        {
            options = listenersSection.Read(sip, options);
        }
        options = options with { TlsCertificate = listenersSection.ReadTlsCertificate(root["tls"], options) };
        if (root["http"] is { } http)
        {
            options = options with { HttpEndPoint = reader.EndPoint(http) };
        }
        options = options with { MediaAddress = root["mediaAddress"] is { } media ? reader.Address(media) : options.ListenEndPoints[0].EndPoint.Address };
        options = new MediaSection(reader).Read(root["media"], options);
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
            options = limitsSection.ReadLimits(limits, options);
        }
        if (root["cluster"] is { } cluster)
        {
            options = options with { Cluster = new ClusterSection(reader).Read(cluster) };
        }
        if (root["recordingRequired"] is { } required)
        {
            options = options with { RecordingRequired = reader.Bool(required) };
        }
        options = applicationsSection.Read(root, options);
        options = options with { Accounts = accountsSection.Read(root["accounts"]) };
        if (root["defaultAccount"] is { Type: not JTokenType.Null } defaultAccount)
        {
            options = options with { DefaultAccountSid = accountsSection.ReadDefaultAccount(defaultAccount, options.Accounts) };
        }
        if (root["edges"] is { } edges)
        {
            options = options with { Edges = connectorsSection.ReadEdges(edges) };
        }
        options = options with { Connectors = connectorsSection.Read(root["connectors"], options.MaxRecorders) };
        options = options with { Connectors = connectorsSection.ResolveEdges(options.Connectors, options.Edges) };
        accountsSection.CheckDefaultConnectors(root["accounts"], options);
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
            options = options with { Dns = srcTransportSection.ReadDns(dns) };
        }
        if (root["callbacks"] is { } callbacks)
        {
            options = options with { Callbacks = limitsSection.ReadCallbacks(callbacks, options.Callbacks) };
        }
        if (root["srcTls"] is { } srcTls)
        {
            options = options with { SrcTls = srcTransportSection.ReadSrcTls(srcTls) };
        }
        if (root["retention"] is { } retention)
        {
            options = options with { EndedCallRetention = limitsSection.ReadRetention(retention, options.EndedCallRetention) };
        }
        return options;
    }

    /// <summary>Reads a media engine name (<c>embedded</c>, <c>rtpengine</c>; case-insensitive).</summary>
    public static bool TryParseMediaEngine(string? text, out GatewayMediaEngine engine) => MediaSection.TryParseEngine(text, out engine);
}
