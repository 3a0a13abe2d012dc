using Siprec.Recording.Connectors;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// Twilio's <c>;edge=NAME</c> on a connector URI chooses the egress the recording leaves from; it is not a parameter for the
/// SRS (issue 13). Each <c>edge</c> is looked up in the configured edges (<see cref="GatewayOptions.Edges"/>), kept as the
/// connector's <see cref="SrsConnector.Edge"/> and removed from the URI, so the Request-URI the SRS sees has none.
/// </summary>
internal static class ConnectorEdges
{
    /// <summary>The URI parameter Twilio uses to name an edge.</summary>
    public const string Parameter = "edge";

    /// <summary>Copies of <paramref name="connectors"/> with every <c>edge</c> parameter resolved and removed; idempotent.</summary>
    /// <exception cref="ArgumentException">
    /// A URI names an edge that is not configured, or two URIs of one connector name different edges; the message names the
    /// connector.
    /// </exception>
    public static SrsConnectorOptions Resolve(SrsConnectorOptions connectors, IReadOnlyDictionary<string, SipListenEndPoint> edges)
    {
        var resolved = new SrsConnectorOptions();
        foreach (var (name, connector) in connectors.Connectors)
        {
            var edge = connector.Edge;
            var uris = connector.Uris.Select(u => Strip(name, u, ref edge)).ToList();
            var failover = connector.FailoverUris.Select(u => Strip(name, u, ref edge)).ToList();
            if (edge is not null && !edges.ContainsKey(edge))
            {
                throw new ArgumentException(
                    $"connector '{name}': edge '{edge}' is not one of the configured edges ({(edges.Count == 0 ? "none" : string.Join(", ", edges.Keys))})", nameof(connectors));
            }
            resolved.Connectors[name] = new SrsConnector
            {
                Uris = uris,
                FailoverUris = failover,
                Transport = connector.Transport,
                Secure = connector.Secure,
                UserName = connector.UserName,
                Password = connector.Password,
                Realm = connector.Realm,
                SessionTimeoutSecs = connector.SessionTimeoutSecs,
                PingIntervalSecs = connector.PingIntervalSecs,
                Headers = new Dictionary<string, string>(connector.Headers, StringComparer.OrdinalIgnoreCase),
                RecordingRequired = connector.RecordingRequired,
                Edge = edge,
            };
        }
        return resolved;
    }

    private static string Strip(string connector, string text, ref string? edge)
    {
        if (!SipUri.TryParse(text, out var uri) || uri is null || uri.GetParameter(Parameter) is not { } named)
        {
            return text;
        }
        if (edge is not null && !string.Equals(edge, named, StringComparison.Ordinal))
        {
            throw new ArgumentException($"connector '{connector}': its URIs name different edges ('{edge}', '{named}'); one connector leaves by one edge", nameof(connector));
        }
        edge = named;
        return (uri with { Parameters = uri.Parameters.Where(p => !p.Key.Equals(Parameter, StringComparison.OrdinalIgnoreCase)).ToList() }).ToString();
    }
}
