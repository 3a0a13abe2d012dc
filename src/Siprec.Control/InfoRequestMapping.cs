using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.Control;

/// <summary>
/// Maps a <see cref="RecordingControlRequest"/> to and from the jambonz-compatible in-dialog INFO of
/// DESIGN §4.1. <see cref="ToInfo"/> is used by the node, <see cref="TryFromInfo"/> by the gateway.
/// </summary>
public static class InfoRequestMapping
{
    /// <summary>The action header (<c>startCallRecording</c> …).</summary>
    public const string ReasonHeader = "X-Reason";

    /// <summary>The comma-separated SRS URI list (start only).</summary>
    public const string SrsUrlHeader = "X-Srs-Url";

    /// <summary>The designer's recording ID (start only, omitted when empty).</summary>
    public const string RecordingIdHeader = "X-Srs-Recording-ID";

    /// <summary>The call SID.</summary>
    public const string CallSidHeader = "X-Call-Sid";

    /// <summary>The account SID.</summary>
    public const string AccountSidHeader = "X-Account-Sid";

    /// <summary>The application SID.</summary>
    public const string ApplicationSidHeader = "X-Application-Sid";

    /// <summary>
    /// Our extension, start only: <c>true</c> or <c>false</c> (case-insensitive) sets
    /// <see cref="RecordingControlRequest.RecordingRequired"/>; absent leaves it to the gateway's default.
    /// </summary>
    public const string RecordingRequiredHeader = "X-Recording-Required";

    /// <summary>The content type of the custom-header body.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>
    /// Builds the INFO headers in wire order (<c>X-Reason</c>, then for start <c>X-Srs-Url</c>,
    /// <c>X-Srs-Recording-ID</c> and <c>X-Recording-Required</c> when set, then the SIDs) and, when custom headers are given, the JSON body.
    /// Empty or null values are omitted, never written as "undefined".
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A start without SRS URIs, a custom header name <see cref="CustomHeaderPolicy"/> refuses, or a value holding CR,
    /// LF or another control character (header injection);
    /// the caller validates first, so this is a programming error.
    /// </exception>
    public static InfoRequestContent ToInfo(RecordingControlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new List<KeyValuePair<string, string>>(6)
        {
            new(ReasonHeader, RecordingActionNames.ToName(request.Action)),
        };
        if (request.Action == RecordingAction.Start)
        {
            if (request.SrsUris.Count == 0) throw new ArgumentException(RecordingErrorTexts.MissingSrsUrl, nameof(request));
            Add(headers, SrsUrlHeader, SrsUriList.Format(request.SrsUris));
            Add(headers, RecordingIdHeader, request.RecordingId);
            Add(headers, RecordingRequiredHeader, request.RecordingRequired is { } required ? (required ? "true" : "false") : null);
        }
        Add(headers, CallSidHeader, request.CallSid);
        Add(headers, AccountSidHeader, request.AccountSid);
        Add(headers, ApplicationSidHeader, request.ApplicationSid);

        if (request.CustomHeaders.Count == 0) return new InfoRequestContent(headers, null, null);
        foreach (var (name, value) in request.CustomHeaders)
        {
            if (CustomHeaderPolicy.Refusal(name) is { } refusal)
            {
                throw new ArgumentException(RecordingErrorTexts.InvalidCustomHeader(name, refusal), nameof(request));
            }
            if (!CustomHeaders.IsSafeValue(value))
            {
                throw new ArgumentException(RecordingErrorTexts.InvalidCustomHeader(name), nameof(request));
            }
        }
        var body = CustomHeaders.ToJson(request.CustomHeaders).ToString(Formatting.None);
        return new InfoRequestContent(headers, JsonContentType, body);
    }

    /// <summary>
    /// Reads a recording request from a received INFO. Never throws on wire input: anything wrong comes back
    /// as <paramref name="error"/> with the DESIGN §4.2 code and text.
    /// </summary>
    /// <param name="getHeader">First value of a header by name (case-insensitive), null when absent.</param>
    /// <param name="contentType">The INFO's Content-Type, or null.</param>
    /// <param name="body">The INFO body (UTF-8), possibly empty.</param>
    /// <param name="maxRecorders">The most SRS URIs a start may list.</param>
    /// <param name="request">The request on success.</param>
    /// <param name="error">Why the INFO was refused, on failure.</param>
    public static bool TryFromInfo(Func<string, string?> getHeader, string? contentType, ReadOnlySpan<byte> body, int maxRecorders,
                                   out RecordingControlRequest? request, out RecordingControlError? error)
    {
        ArgumentNullException.ThrowIfNull(getHeader);
        request = null;
        var reason = getHeader(ReasonHeader);
        if (string.IsNullOrWhiteSpace(reason))
        {
            error = new RecordingControlError(400, RecordingErrorTexts.MissingReason);
            return false;
        }
        if (!RecordingActionNames.TryParse(reason, out var action))
        {
            error = new RecordingControlError(400, RecordingErrorTexts.UnknownReason(reason.Trim()));
            return false;
        }

        IReadOnlyList<string> uris = [];
        if (action == RecordingAction.Start && !SrsUriList.TryParse(getHeader(SrsUrlHeader), maxRecorders, out uris, out error))
        {
            return false;
        }
        bool? required = null;
        if (action == RecordingAction.Start && NullIfEmpty(getHeader(RecordingRequiredHeader)) is { } requiredText)
        {
            if (!bool.TryParse(requiredText, out var parsed))
            {
                error = new RecordingControlError(400, RecordingErrorTexts.InvalidField(RecordingRequiredHeader, requiredText, "true or false"));
                return false;
            }
            required = parsed;
        }
        if (!TryReadBody(contentType, body, out var customHeaders, out error)) return false;

        request = new RecordingControlRequest
        {
            Action = action,
            SrsUris = uris,
            RecordingId = action == RecordingAction.Start ? NullIfEmpty(getHeader(RecordingIdHeader)) : null,
            CallSid = NullIfEmpty(getHeader(CallSidHeader)),
            AccountSid = NullIfEmpty(getHeader(AccountSidHeader)),
            ApplicationSid = NullIfEmpty(getHeader(ApplicationSidHeader)),
            CustomHeaders = customHeaders,
            RecordingRequired = required,
        };
        return true;
    }

    /// <summary>
    /// True when <paramref name="value"/> can go in an INFO header: no CR, LF or other control character
    /// except TAB (RFC 3261 §7.3.1 header injection guard).
    /// </summary>
    public static bool IsSafeHeaderValue(string value) => !SrsUriList.HasForbiddenControlCharacter(value);

    private static bool TryReadBody(string? contentType, ReadOnlySpan<byte> body, out IReadOnlyDictionary<string, string> headers,
                                    out RecordingControlError? error)
    {
        headers = new Dictionary<string, string>();
        error = null;
        if (body.Trim(" \r\n\t"u8).IsEmpty) return true;
        if (!string.IsNullOrWhiteSpace(contentType) && !IsJson(contentType))
        {
            error = new RecordingControlError(415, RecordingErrorTexts.UnsupportedContentType(contentType.Trim()));
            return false;
        }

        JToken token;
        try
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(body)))
            {
                DateParseHandling = DateParseHandling.None,
                MaxDepth = 16,
            };
            token = JToken.ReadFrom(reader);
            // Trailing content after the first value ("{}{}", "{} x") is not one JSON document.
            if (reader.Read()) throw new JsonReaderException("additional content after the JSON value");
        }
        catch (JsonException)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.InvalidJsonBody);
            return false;
        }
        return CustomHeaders.TryRead(token, out headers, out error);
    }

    private static bool IsJson(string contentType)
    {
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return string.Equals(mediaType, JsonContentType, StringComparison.OrdinalIgnoreCase);
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        var trimmed = value.Trim();
        if (SrsUriList.HasForbiddenControlCharacter(trimmed))
        {
            throw new ArgumentException($"{name} value contains a control character: {RecordingErrorTexts.Printable(trimmed)}", nameof(value));
        }
        headers.Add(new(name, trimmed));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
