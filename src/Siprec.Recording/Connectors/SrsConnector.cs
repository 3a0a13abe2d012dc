using System.Globalization;

namespace Siprec.Recording.Connectors;

/// <summary>
/// One named SRS configuration (Twilio/Telnyx <c>ConnectorName</c>), bindable from configuration: where the recorders
/// are, how to reach them, and what to add to every recording INVITE. <see cref="ToString"/> never shows the password.
/// </summary>
/// <remarks>Defaults: transport <c>udp</c>, not secure, no credentials, the client's session timer and ping interval, no extra headers,
/// the gateway's recording-required policy.</remarks>
public sealed class SrsConnector
{
    /// <summary>The SRS URIs (<c>sip:</c>/<c>sips:</c>), recorded in parallel; at least one.</summary>
    public List<string> Uris { get; set; } = [];

    /// <summary>
    /// Standby SRS URIs (<c>sip:</c>/<c>sips:</c>) for failover, empty by default: when a recorder fails mid-call (failed
    /// ping, SRS BYE, RFC 5057 ending, failed refresh), its part of the recording is re-established on the next target of
    /// the same entry: first the next DNS SRV target its own URI resolved to, then these, in order, as one pool shared by
    /// every URI of <see cref="Uris"/>. A standby serves at most one failed recorder at a time (one that is being tried or
    /// records for another is skipped); each attempt waits at most <see cref="SrcOptions.NoAnswerTimeout"/>. They apply
    /// whenever this connector is given, also when a request names its own SRS URIs.
    /// </summary>
    public List<string> FailoverUris { get; set; } = [];

    /// <summary>The SIP transport: <c>udp</c>, <c>tcp</c> or <c>tls</c>.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>
    /// TLS signalling and SRTP media with SDES keys, fresh per recorder and stream (DESIGN §4.3, RFC 3711/4568); implies
    /// transport <c>tls</c>. A recorder that cannot be reached over TLS, or answers without a usable <c>a=crypto</c>,
    /// gets no media rather than plain RTP.
    /// </summary>
    public bool Secure { get; set; }

    /// <summary>The digest user name answering 401/407 (RFC 3261 §22); null when the SRS does not challenge.</summary>
    public string? UserName { get; set; }

    /// <summary>The digest password; never logged.</summary>
    public string? Password { get; set; }

    /// <summary>The realm the credentials are for; null = any realm the SRS names.</summary>
    public string? Realm { get; set; }

    /// <summary>RFC 4028 interval in seconds (0 disables, else at least 90); null = the client's default.</summary>
    public int? SessionTimeoutSecs { get; set; }

    /// <summary>
    /// Seconds between in-dialog OPTIONS pings to each recorder of this connector (RFC 3261 §11; 0 disables, else 1 to
    /// 3600); null = the client's <see cref="SrcOptions.PingInterval"/> (10 s by default). Turn pings off only for an SRS
    /// that cannot answer an OPTIONS inside its dialog with anything but 481.
    /// </summary>
    public int? PingIntervalSecs { get; set; }

    /// <summary>Extra headers added to every recording INVITE (e.g. <c>X-Tenant</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Recording-required policy of calls recorded through this connector: true ends the call (BYE with RFC 3326
    /// <c>Reason: SIP ;cause=503 ;text="recording required and unavailable"</c>) when no recorder can be established at
    /// start or the last one is lost mid-call; false keeps such a call up unrecorded; null = the gateway's setting. A
    /// request's own <c>RecordingRequired</c> wins over this. The SRC does not read it: the gateway acts on it.
    /// </summary>
    public bool? RecordingRequired { get; set; }

    /// <summary>
    /// The named egress (Twilio's <c>;edge=NAME</c> on a connector URI, resolved by the gateway against its configured
    /// <c>edges</c> and removed from the URI); null when none. The SRC does not route by it yet: every recording INVITE leaves
    /// from the SRC's own socket (<see cref="SrcOptions.SipEndPoint"/>).
    /// </summary>
    public string? Edge { get; set; }

    /// <summary>The effective transport, lower-case (<c>tls</c> when <see cref="Secure"/>).</summary>
    public string EffectiveTransport => Secure ? "tls" : Transport.Trim().ToLowerInvariant();

    /// <summary>Describes the connector without its password (safe to log).</summary>
    public override string ToString() =>
        $"{string.Join(",", Uris)}" + (FailoverUris.Count > 0 ? " failover=" + string.Join(",", FailoverUris) : "") + $" transport={EffectiveTransport} secure={Secure} user={UserName ?? "-"} password={(string.IsNullOrEmpty(Password) ? "-" : "***")}"
        + (SessionTimeoutSecs is { } s ? " session-expires=" + s.ToString(CultureInfo.InvariantCulture) : "")
        + (PingIntervalSecs is { } p ? " ping-interval=" + p.ToString(CultureInfo.InvariantCulture) : "");
}
