namespace Siprec.Control;

/// <summary>
/// The one request every entry point (node INFO, jambonz verb, REST) produces and the per-call recording
/// controller consumes; DESIGN §2 and §4.1.
/// </summary>
public sealed record RecordingControlRequest
{
    /// <summary>What to do.</summary>
    public required RecordingAction Action { get; init; }

    /// <summary>The SRS URIs (only <c>sip:</c>/<c>sips:</c>, validated by <see cref="SrsUriList"/>); used by start only.</summary>
    public IReadOnlyList<string> SrsUris { get; init; } = [];

    /// <summary>The designer's correlation ID forwarded to the recorders; null when not given (never the text "undefined").</summary>
    public string? RecordingId { get; init; }

    /// <summary>The call's SID (<c>X-Call-Sid</c>), null when unknown.</summary>
    public string? CallSid { get; init; }

    /// <summary>The account's SID (<c>X-Account-Sid</c>), null when unknown.</summary>
    public string? AccountSid { get; init; }

    /// <summary>The application's SID (<c>X-Application-Sid</c>), null when unknown.</summary>
    public string? ApplicationSid { get; init; }

    /// <summary>
    /// The INFO's and the jambonz verb's custom headers (on the INFO they travel as a JSON object body, never as INFO headers);
    /// the SRC always puts them in its RFC 7865 metadata extension. REST and TwiML use <see cref="Parameters"/> instead.
    /// </summary>
    public IReadOnlyDictionary<string, string> CustomHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Which legs to record (REST <c>Track</c>); INFO and the node always ask for both.</summary>
    public RecordingTrack Track { get; init; } = RecordingTrack.BothTracks;

    /// <summary>
    /// Custom parameters for the SRS (REST <c>Parameter{N}.Name/Value</c> and TwiML <c>&lt;Parameter&gt;</c>, in order; one
    /// shape, never copied into <see cref="CustomHeaders"/>): RFC 7865 metadata extension parameters when
    /// <see cref="IncludeMetadataCustomHeaders"/> is set, else SIP headers on the recording INVITE (Telnyx's rule).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Telnyx <c>IncludeMetadataCustomHeaders</c>: true puts <see cref="Parameters"/> in the metadata, false in SIP headers.</summary>
    public bool IncludeMetadataCustomHeaders { get; init; }

    /// <summary>
    /// Start only, our extension (REST <c>RecordingRequired</c>, INFO <c>X-Recording-Required</c>): true ends the call with
    /// BYE (RFC 3326 <c>Reason: SIP ;cause=503</c>) when no recorder can be established or the last one is lost; false keeps
    /// the call up unrecorded; null leaves it to the connector, then the gateway (both off by default).
    /// </summary>
    public bool? RecordingRequired { get; init; }
}
