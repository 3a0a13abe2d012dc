using Siprec.Control;
using Siprec.Sip.Messages;

namespace Siprec.Recording.Connectors;

/// <summary>
/// The named SRS configurations, bound from configuration (section <see cref="SectionName"/>, e.g.
/// <c>SrsConnectors:Connectors:acme:Uris:0</c>) and validated at start-up with messages naming the bad key.
/// </summary>
public sealed class SrsConnectorOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "SrsConnectors";

    /// <summary>The largest <see cref="SrsConnector.PingIntervalSecs"/> accepted: 3600 (<see cref="SrcOptions.MaxPingInterval"/>).</summary>
    public const int MaxPingIntervalSecs = 3600;

    /// <summary>The most <see cref="SrsConnector.FailoverUris"/> a connector may list: 16.</summary>
    public const int MaxFailoverUris = 16;

    /// <summary>The connectors by name (case-insensitive).</summary>
    public Dictionary<string, SrsConnector> Connectors { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The connector of that name; false when there is none.</summary>
    public bool TryGet(string name, out SrsConnector? connector) => Connectors.TryGetValue(name, out connector);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad key (<c>Connectors:&lt;name&gt;:&lt;setting&gt;</c>) and its value.</summary>
    public void Validate()
    {
        foreach (var (name, connector) in Connectors)
        {
            var key = $"Connectors:{name}";
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException("Connectors: a connector needs a non-empty name.", nameof(Connectors));
            if (connector is null)
                throw new ArgumentException($"{key} is empty.", nameof(Connectors));
            if (connector.Uris.Count == 0)
                throw new ArgumentException($"{key}:Uris needs at least one sip: or sips: URI.", nameof(Connectors));
            for (var i = 0; i < connector.Uris.Count; i++)
            {
                if (!IsSipUri(connector.Uris[i]))
                    throw new ArgumentException($"{key}:Uris:{i} must be a sip: or sips: URI, was '{connector.Uris[i]}'.", nameof(Connectors));
            }

            if (connector.FailoverUris?.Count > MaxFailoverUris)
                throw new ArgumentException($"{key}:FailoverUris lists {connector.FailoverUris.Count} standbys; at most {MaxFailoverUris}.", nameof(Connectors));
            for (var i = 0; i < (connector.FailoverUris?.Count ?? 0); i++)
            {
                if (!IsSipUri(connector.FailoverUris![i]))
                    throw new ArgumentException($"{key}:FailoverUris:{i} must be a sip: or sips: URI, was '{connector.FailoverUris[i]}'.", nameof(Connectors));
            }

            if (connector.EffectiveTransport is not ("udp" or "tcp" or "tls"))
                throw new ArgumentException($"{key}:Transport must be udp, tcp or tls, was '{connector.Transport}'.", nameof(Connectors));
            if (connector.SessionTimeoutSecs is { } s && s != 0 && s < 90)
                throw new ArgumentException($"{key}:SessionTimeoutSecs must be 0 (off) or at least 90 (RFC 4028 Min-SE), was {s}.", nameof(Connectors));
            if (connector.PingIntervalSecs is { } ping && (ping < 0 || ping > MaxPingIntervalSecs))
                throw new ArgumentException($"{key}:PingIntervalSecs must be 0 (off) to {MaxPingIntervalSecs}, was {ping}.", nameof(Connectors));
            if (string.IsNullOrEmpty(connector.UserName) != string.IsNullOrEmpty(connector.Password))
                throw new ArgumentException($"{key}:UserName and {key}:Password must be set together.", nameof(Connectors));
            foreach (var (header, value) in connector.Headers)
            {
                if (CustomHeaderPolicy.Refusal(header) is { } refusal)
                    throw new ArgumentException($"{key}:Headers:{RecordingErrorTexts.Printable(header)} is not a header the SRC may add: {refusal}.", nameof(Connectors));
                if (value is null || value.Any(c => c is '\r' or '\n' or '\0'))
                    throw new ArgumentException($"{key}:Headers:{header} has a value with a line break or NUL.", nameof(Connectors));
            }
        }
    }

    private static bool IsSipUri(string? text) =>
        SipUri.TryParse(text ?? "", out var uri) && uri is not null && uri.IsSip && uri.Scheme.ToLowerInvariant() is "sip" or "sips";

    /// <summary>True when <paramref name="name"/> is a header the SRC may add to an INVITE: <see cref="CustomHeaderPolicy"/> allows it.</summary>
    public static bool IsAllowedHeader(string name) => CustomHeaderPolicy.IsAllowed(name);
}
