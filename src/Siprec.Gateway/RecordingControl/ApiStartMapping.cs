using Siprec.Control;
using Siprec.Recording.Connectors;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// Turns a create in the Twilio/Telnyx field set (<see cref="RestRecordingRequest"/>: REST's form, TwiML/TeXML's
/// <c>&lt;Start&gt;&lt;Siprec&gt;</c> attributes) into the controller's start: the named connector's SRS URIs, the request,
/// and the options carrying the name, callbacks and the connector with Telnyx's per-request overrides. One mapping for
/// both adapters, so a field means the same on either (DESIGN §2: adapters only translate).
/// </summary>
internal static class ApiStartMapping
{
    /// <summary>Maps a parsed create onto a start on one call; never throws for a bad request.</summary>
    /// <param name="create">The parsed fields.</param>
    /// <param name="connectors">The configured connectors (case-insensitive names).</param>
    /// <param name="defaultConnector">The account's <c>defaultConnector</c>, used when the create names none (both vendors
    /// document <c>ConnectorName</c> as optional); null for none.</param>
    /// <param name="maxRecorders">The most SRS URIs one start may name.</param>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="accountSid">The account that asked.</param>
    /// <param name="request">The start request on success.</param>
    /// <param name="options">The start options on success (<see cref="RecordingOrigin.Api"/>).</param>
    /// <param name="error">On failure a 400 naming <c>ConnectorName</c> (absent with no default, or not a configured
    /// connector; <see cref="RecordingControlError.Field"/> set) or the URI list's error.</param>
    public static bool TryMap(RestRecordingRequest create, SrsConnectorOptions connectors, string? defaultConnector, int maxRecorders, string callSid, string accountSid,
        out RecordingControlRequest? request, out RecordingRequestOptions? options, out RecordingControlError? error)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(connectors);
        request = null;
        options = null;
        var name = create.ConnectorName ?? defaultConnector;
        if (name is null)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.MissingField("ConnectorName") + " (the account has no defaultConnector)") { Field = "ConnectorName" };
            return false;
        }
        if (!connectors.TryGet(name, out var connector) || connector is null)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.InvalidField("ConnectorName", name, "not a configured connector")) { Field = "ConnectorName" };
            return false;
        }
        if (!SrsUriList.TryParse(connector.Uris, maxRecorders, out var uris, out error))
        {
            return false;
        }
        request = create.ToControlRequest(uris, callSid, accountSid);
        options = new RecordingRequestOptions(create.Name, create.StatusCallback, create.StatusCallbackMethod, ConnectorFor(connector, create));
        return true;
    }

    // Telnyx's per-request Secure, SipTransport and SessionTimeoutSecs override the configured connector on a copy; the
    // request's RecordingRequired is read by the controller before the connector's.
    private static SrsConnector ConnectorFor(SrsConnector configured, RestRecordingRequest create) => new()
    {
        Uris = [.. configured.Uris],
        FailoverUris = [.. configured.FailoverUris],
        Transport = create.SipTransport ?? configured.Transport,
        Secure = create.Secure ?? configured.Secure,
        UserName = configured.UserName,
        Password = configured.Password,
        Realm = configured.Realm,
        SessionTimeoutSecs = create.SessionTimeoutSecs ?? configured.SessionTimeoutSecs,
        PingIntervalSecs = configured.PingIntervalSecs,
        RecordingRequired = configured.RecordingRequired,
        Headers = new Dictionary<string, string>(configured.Headers, StringComparer.OrdinalIgnoreCase),
        Edge = configured.Edge,
    };
}
