using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Recording.Connectors;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>connectors</c> section (the recorders a call is forked to: URIs, standby <c>failoverUris</c>, transport, digest
/// credentials, session timer, OPTIONS ping, extra headers, <c>recordingRequired</c>) and the <c>edges</c> their URIs name.
/// </summary>
internal sealed class ConnectorsSection
{
    private static readonly string[] ConnectorKeys =
        ["name", "uris", "failoverUris", "transport", "secure", "userName", "password", "realm", "sessionTimeoutSecs", "pingIntervalSecs", "headers", "recordingRequired"];

    private readonly ConfigurationFileReader _reader;

    public ConnectorsSection(ConfigurationFileReader reader) => _reader = reader;

    // Named egresses for a connector URI's ;edge=NAME (Twilio's edge locations): transport:HOST:PORT each.
    public Dictionary<string, SipListenEndPoint> ReadEdges(JToken token)
    {
        var edges = new Dictionary<string, SipListenEndPoint>(StringComparer.Ordinal);
        foreach (var edge in _reader.Object(token).Properties())
        {
            var text = _reader.String(edge.Value);
            if (!SipListenEndPoint.TryParse(text, out var egress, out var why)) throw _reader.Bad(edge.Value, $"'{text}': {why}");
            edges[edge.Name] = egress!;
        }
        return edges;
    }

    /// <summary>Applies <paramref name="edges"/> to the connectors' URIs (<see cref="ConnectorEdges.Resolve"/>); an unknown edge fails naming it.</summary>
    public SrsConnectorOptions ResolveEdges(SrsConnectorOptions connectors, IReadOnlyDictionary<string, SipListenEndPoint> edges)
    {
        try
        {
            return ConnectorEdges.Resolve(connectors, edges);
        }
        catch (ArgumentException ex)
        {
            throw new GatewayConfigurationException($"{_reader.Source}: connectors: {ex.Message.Split(" (Parameter")[0]}", ex);
        }
    }

    public SrsConnectorOptions Read(JToken? token, int maxRecorders)
    {
        var connectors = new SrsConnectorOptions();
        if (token is null) return connectors;
        foreach (var item in _reader.Array(token))
        {
            var obj = _reader.Object(item);
            _reader.NoUnknownKeys(obj, ConnectorKeys);
            var name = _reader.String(_reader.Required(obj, "name"));
            if (connectors.Connectors.ContainsKey(name)) throw _reader.Bad(obj["name"]!, $"connector '{name}' is listed twice");
            var uris = _reader.Strings(_reader.Required(obj, "uris"));
            if (!SrsUriList.TryParse(string.Join(",", uris), maxRecorders, out var parsed, out var error)) throw _reader.Bad(obj["uris"]!, error!.Text);
            var connector = new SrsConnector { Uris = [.. parsed] };
            // Standbys for failover mid-call (issue 11): sip:/sips: only, like uris; tried one at a time, in order.
            if (obj["failoverUris"] is { } failover)
            {
                var standbys = _reader.Strings(failover);
                if (standbys.Count > SrsConnectorOptions.MaxFailoverUris)
                    throw _reader.Bad(failover, $"at most {SrsConnectorOptions.MaxFailoverUris} standby URIs, was {standbys.Count}");
                if (standbys.Count > 0)
                {
                    if (!SrsUriList.TryParse(string.Join(",", standbys), SrsConnectorOptions.MaxFailoverUris, out var parsedStandbys, out var standbyError))
                        throw _reader.Bad(failover, standbyError!.Text);
                    connector.FailoverUris = [.. parsedStandbys];
                }
            }
            if (obj["transport"] is { } transport)
            {
                connector.Transport = _reader.String(transport).ToLowerInvariant();
                if (connector.Transport is not ("udp" or "tcp" or "tls")) throw _reader.Bad(transport, $"must be udp, tcp or tls, was '{connector.Transport}'");
            }
            if (obj["secure"] is { } secure) connector.Secure = _reader.Bool(secure);
            if (obj["userName"] is { } user) connector.UserName = _reader.String(user);
            // The password's value is never put in a message: only its key is named.
            if (obj["password"] is { } password) connector.Password = _reader.String(password, secret: true);
            if (obj["realm"] is { } realm) connector.Realm = _reader.String(realm);
            if (obj["sessionTimeoutSecs"] is { } timeout)
            {
                connector.SessionTimeoutSecs = _reader.Int(timeout, 0, 86_400);
                if (connector.SessionTimeoutSecs is > 0 and < 90) throw _reader.Bad(timeout, $"must be 0 (off) or at least 90 (RFC 4028 Min-SE), was {connector.SessionTimeoutSecs}");
            }
            // In-dialog OPTIONS keep-alive (RFC 3261 §11): 0 turns it off; absent = the SRC's default, 10 s.
            if (obj["pingIntervalSecs"] is { } ping) connector.PingIntervalSecs = _reader.Int(ping, 0, SrsConnectorOptions.MaxPingIntervalSecs);
            // Recording-required policy of this connector's calls; absent = the gateway's top-level recordingRequired.
            if (obj["recordingRequired"] is { } required) connector.RecordingRequired = _reader.Bool(required);
            if (string.IsNullOrEmpty(connector.UserName) != string.IsNullOrEmpty(connector.Password))
                throw _reader.Bad(obj, "userName and password must be set together");
            if (obj["headers"] is { } headers)
            {
                foreach (var header in _reader.Object(headers).Properties())
                {
                    if (CustomHeaderPolicy.Refusal(header.Name) is { } refusal)
                        throw _reader.Bad(header, $"connector '{name}': '{RecordingErrorTexts.Printable(header.Name)}' is not a header the SRC may add: {refusal}");
                    // Header values may carry tenant keys: like secrets, only their key is named.
                    connector.Headers[header.Name] = _reader.String(header.Value, secret: true);
                }
            }
            var single = new SrsConnectorOptions { Connectors = { [name] = connector } };
            try
            {
                single.Validate();
            }
            catch (ArgumentException ex)
            {
                throw _reader.Bad(obj, ex.Message);
            }
            connectors.Connectors[name] = connector;
        }
        return connectors;
    }
}
