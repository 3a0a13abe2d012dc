using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Siprec.Control;

/// <summary>
/// The form fields of a REST "create SIPREC session" request (DESIGN §4.4), Twilio's set plus Telnyx's additions:
/// <c>Name</c>, <c>ConnectorName</c>, <c>Track</c>, <c>StatusCallback</c>, <c>StatusCallbackMethod</c>,
/// <c>Parameter{N}.Name</c>/<c>Parameter{N}.Value</c>, <c>IncludeMetadataCustomHeaders</c>, <c>Secure</c>,
/// <c>SessionTimeoutSecs</c>, <c>SipTransport</c>, and our extension <c>RecordingRequired</c>. Read with <see cref="TryParse"/>, which never throws.
/// A parameter name that travels as a SIP header (<c>IncludeMetadataCustomHeaders</c> not true) must pass <see cref="CustomHeaderPolicy"/>.
/// </summary>
public sealed record RestRecordingRequest
{
    /// <summary>Longest accepted value of a name-like field (<c>Name</c>, <c>ConnectorName</c>, a parameter name).</summary>
    public const int MaxNameLength = 64;

    /// <summary>Longest accepted value of any other field (URLs, parameter values), in characters.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>Highest <c>N</c> of <c>Parameter{N}</c> (Twilio allows 99).</summary>
    public const int MaxParameters = 99;

    /// <summary>The session's name, unique per call; usable instead of the SID to stop it. Null when not given.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The configured SRS connector to record to; null when the request names none (both vendors document the field as
    /// optional): the gateway then uses the account's <c>defaultConnector</c>.
    /// </summary>
    public string? ConnectorName { get; init; }

    /// <summary>Which legs to record; default both.</summary>
    public RecordingTrack Track { get; init; } = RecordingTrack.BothTracks;

    /// <summary>Absolute http(s) URL for status callbacks; null for none.</summary>
    public Uri? StatusCallback { get; init; }

    /// <summary><c>GET</c> or <c>POST</c> (default).</summary>
    public string StatusCallbackMethod { get; init; } = "POST";

    /// <summary>Custom parameters in <c>N</c> order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Telnyx: true puts the parameters in the recording metadata, false (default) in SIP headers on the recording INVITE.</summary>
    public bool IncludeMetadataCustomHeaders { get; init; }

    /// <summary>Telnyx: TLS signalling and SRTP towards the SRS; null leaves it to the connector.</summary>
    public bool? Secure { get; init; }

    /// <summary>Telnyx: RFC 4028 session interval in seconds (0 off, else at least 90); null leaves it to the connector.</summary>
    public int? SessionTimeoutSecs { get; init; }

    /// <summary>Telnyx: <c>udp</c>, <c>tcp</c> or <c>tls</c>; null leaves it to the connector.</summary>
    public string? SipTransport { get; init; }

    /// <summary>
    /// Our extension beyond both vendors' field sets: <c>true</c> ends the call when it cannot be recorded (no recorder at
    /// start, or the last one lost mid-call), <c>false</c> keeps it up unrecorded; null leaves it to the connector's
    /// <c>recordingRequired</c>, then the gateway's. See <see cref="RecordingControlRequest.RecordingRequired"/>.
    /// </summary>
    public bool? RecordingRequired { get; init; }

    /// <summary>
    /// Reads the form. Field names match case-sensitively like Twilio's; unknown fields are ignored. Every value is
    /// checked for control characters (CR/LF header injection) and length before use.
    /// </summary>
    /// <param name="form">The decoded form fields; a repeated field keeps its first value.</param>
    /// <param name="request">The request on success.</param>
    /// <param name="error">On failure a 400 naming the field and its value.</param>
    public static bool TryParse(IEnumerable<KeyValuePair<string, string?>> form, [NotNullWhen(true)] out RestRecordingRequest? request,
                                out RecordingControlError? error)
    {
        ArgumentNullException.ThrowIfNull(form);
        request = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            fields.TryAdd(key, value ?? string.Empty);
        }
        string? Get(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        foreach (var (key, value) in fields)
        {
            var max = key is "Name" or "ConnectorName" || key.EndsWith(".Name", StringComparison.Ordinal) ? MaxNameLength : MaxValueLength;
            if (SrsUriList.HasForbiddenControlCharacter(value))
            {
                return Fail(key, value, "control characters (CR, LF, …) are not allowed", out error);
            }
            if (value.Length > max)
            {
                return Fail(key, value, string.Create(CultureInfo.InvariantCulture, $"at most {max} characters"), out error);
            }
        }

        var connector = Get("ConnectorName");
        var track = RecordingTrack.BothTracks;
        if (Get("Track") is { } trackText && !RecordingTrackNames.TryParse(trackText, out track))
        {
            return Fail("Track", trackText, "one of both_tracks, inbound_track, outbound_track", out error);
        }
        Uri? callback = null;
        if (Get("StatusCallback") is { } callbackText
            && (!Uri.TryCreate(callbackText, UriKind.Absolute, out callback) || callback.Scheme is not ("http" or "https")))
        {
            return Fail("StatusCallback", callbackText, "an absolute http or https URL", out error);
        }
        var method = (Get("StatusCallbackMethod") ?? "POST").ToUpperInvariant();
        if (method is not ("GET" or "POST"))
        {
            return Fail("StatusCallbackMethod", Get("StatusCallbackMethod"), "GET or POST", out error);
        }
        if (!TryBool(Get("IncludeMetadataCustomHeaders"), "IncludeMetadataCustomHeaders", out var includeHeaders, out error)
            || !TryBool(Get("Secure"), "Secure", out var secure, out error)
            || !TryBool(Get("RecordingRequired"), "RecordingRequired", out var required, out error))
        {
            return false;
        }
        int? timeout = null;
        if (Get("SessionTimeoutSecs") is { } timeoutText)
        {
            if (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is > 0 and < 90)
            {
                return Fail("SessionTimeoutSecs", timeoutText, "0 (off) or a whole number of seconds of at least 90 (RFC 4028)", out error);
            }
            timeout = seconds;
        }
        var transport = Get("SipTransport")?.ToLowerInvariant();
        if (transport is not (null or "udp" or "tcp" or "tls"))
        {
            return Fail("SipTransport", Get("SipTransport"), "udp, tcp or tls", out error);
        }
        if (!TryReadParameters(fields, asSipHeaders: includeHeaders != true, out var parameters, out error))
        {
            return false;
        }
        request = new RestRecordingRequest
        {
            Name = Get("Name"),
            ConnectorName = connector,
            Track = track,
            StatusCallback = callback,
            StatusCallbackMethod = method,
            Parameters = parameters,
            IncludeMetadataCustomHeaders = includeHeaders ?? false,
            Secure = secure,
            SessionTimeoutSecs = timeout,
            SipTransport = transport,
            RecordingRequired = required,
        };
        return true;
    }

    /// <summary>The controller's request for a start to <paramref name="srsUris"/> (the connector's URIs) on one call.</summary>
    /// <param name="srsUris">The SRS URIs the connector names.</param>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="accountSid">The account that asked.</param>
    public RecordingControlRequest ToControlRequest(IReadOnlyList<string> srsUris, string callSid, string accountSid)
    {
        ArgumentNullException.ThrowIfNull(srsUris);
        return new RecordingControlRequest
        {
            Action = RecordingAction.Start,
            SrsUris = srsUris,
            RecordingId = Name,
            CallSid = callSid,
            AccountSid = accountSid,
            Track = Track,
            Parameters = Parameters,
            IncludeMetadataCustomHeaders = IncludeMetadataCustomHeaders,
            RecordingRequired = RecordingRequired,
        };
    }

    // Parameters that travel as SIP headers on the recording INVITE (Telnyx's IncludeMetadataCustomHeaders=false, the
    // default) must pass the header policy, or Parameter1.Name=i would put a second Call-ID on it; metadata parameter
    // names only need to be tokens.
    private static bool TryReadParameters(Dictionary<string, string> fields, bool asSipHeaders, out IReadOnlyList<KeyValuePair<string, string>> parameters,
                                          out RecordingControlError? error)
    {
        parameters = [];
        error = null;
        var byIndex = new SortedDictionary<int, KeyValuePair<string, string>>();
        foreach (var key in fields.Keys)
        {
            if (!key.StartsWith("Parameter", StringComparison.Ordinal))
            {
                continue;
            }
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            var suffix = dot < 0 ? "" : key[(dot + 1)..];
            if (dot < 0 || suffix is not ("Name" or "Value")
                || !int.TryParse(key.AsSpan(9, dot - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxParameters)
            {
                return Fail(key, fields[key], string.Create(CultureInfo.InvariantCulture, $"custom parameters are Parameter1..{MaxParameters} with .Name and .Value"), out error);
            }
            if (byIndex.ContainsKey(n))
            {
                continue;
            }
            var nameKey = string.Create(CultureInfo.InvariantCulture, $"Parameter{n}.Name");
            var valueKey = string.Create(CultureInfo.InvariantCulture, $"Parameter{n}.Value");
            var name = fields.GetValueOrDefault(nameKey)?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                error = new RecordingControlError(400, RecordingErrorTexts.MissingField(nameKey)) { Field = nameKey };
                return false;
            }
            if (!CustomHeaders.IsToken(name))
            {
                return Fail(nameKey, name, "a SIP token (letters, digits and - . ! % * _ + ` ' ~)", out error);
            }
            if (asSipHeaders && CustomHeaderPolicy.Refusal(name) is { } refusal)
            {
                return Fail(nameKey, name, refusal + " (parameters travel as SIP headers unless IncludeMetadataCustomHeaders=true)", out error);
            }
            byIndex[n] = new KeyValuePair<string, string>(name, fields.GetValueOrDefault(valueKey) ?? string.Empty);
        }
        parameters = byIndex.Values.ToList();
        return true;
    }

    private static bool TryBool(string? text, string field, out bool? value, out RecordingControlError? error)
    {
        error = null;
        value = null;
        if (text is null)
        {
            return true;
        }
        if (bool.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }
        return Fail(field, text, "true or false", out error);
    }

    private static bool Fail(string field, string? value, string expected, out RecordingControlError? error)
    {
        error = new RecordingControlError(400, RecordingErrorTexts.InvalidField(field, value, expected)) { Field = field };
        return false;
    }
}
