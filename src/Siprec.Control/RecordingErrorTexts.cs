using System.Globalization;

namespace Siprec.Control;

/// <summary>
/// Every text the gateway and the node use to refuse or report a recording request (DESIGN §4.2), as
/// constants or formatting methods. Values taken from the wire are escaped, so a text is always one
/// printable line, safe for a log line and a <c>Warning</c> header.
/// </summary>
public static class RecordingErrorTexts
{
    /// <summary>400: a start without <c>X-Srs-Url</c> (or with only empty entries).</summary>
    public const string MissingSrsUrl = "startCallRecording request is missing X-Srs-Url header";

    /// <summary>400: a start while the call is recording or starting.</summary>
    public const string DuplicateStart = "discarding duplicate startCallRecording request for a call";

    /// <summary>400: no SRS answered within the no-answer timeout.</summary>
    public const string NoResponse = "No response from SipRec server, return error to feature server";

    /// <summary>400: a stop while nothing is recording.</summary>
    public const string StopWhileNotRecording = "discarding stopCallRecording request because we are not recording";

    /// <summary>400: a pause while not recording or already paused.</summary>
    public const string InvalidPause = "discarding invalid pauseCallRecording request";

    /// <summary>400: a resume while not paused.</summary>
    public const string InvalidResume = "discarding invalid resumeCallRecording request";

    /// <summary>400: an INFO body that is not JSON.</summary>
    public const string InvalidJsonBody = "invalid JSON body in recording request";

    /// <summary>400: an INFO body that is JSON but not an object of header names to values.</summary>
    public const string JsonBodyNotObject = "JSON body in recording request must be an object of header names to string values";

    /// <summary>400: an INFO without <c>X-Reason</c>.</summary>
    public const string MissingReason = "recording request is missing X-Reason header";

    /// <summary>Node side: a start while the node's state is on or paused.</summary>
    public const string AlreadyStarted = "Cannot start recording when recording is already started";

    /// <summary>Node side: a stop while the node's state is off.</summary>
    public static string CannotStop(string state) => $"Cannot stop recording when recording is {state}: it was not started";

    /// <summary>Node side: a pause while the node's state is not on.</summary>
    public static string CannotPause(string state) => $"Cannot pause recording when recording is {state}: it must be on";

    /// <summary>Node side: a resume while the node's state is not paused.</summary>
    public static string CannotResume(string state) => $"Cannot resume recording when recording is {state}: it must be paused";

    /// <summary>503: an SRS URI that is not <c>sip:</c>/<c>sips:</c> (ws, wss, http, https, bare host or IP).</summary>
    public static string NotSipUri(string entry) => "X-Srs-Url accepts only sip: or sips: URIs: " + Printable(entry);

    /// <summary>400: more SRS URIs than the configured maximum.</summary>
    public static string TooManyRecorders(int count, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"too many recorders: {count} (at most {max})");

    /// <summary>400: an SRS URI entry holding CR, LF or another control character (header injection).</summary>
    public static string ControlCharacterInSrsUrl(string entry) =>
        "X-Srs-Url entry contains a control character: " + Printable(entry);

    /// <summary>400: a <c>sip:</c>/<c>sips:</c> entry with no host or with whitespace inside.</summary>
    public static string MalformedSipUri(string entry) => "X-Srs-Url entry is not a valid SIP URI: " + Printable(entry);

    /// <summary>400: an <c>X-Reason</c> that names no recording action.</summary>
    public static string UnknownReason(string reason) =>
        "unknown X-Reason in recording request: " + Printable(reason) + " (expected one of " + string.Join(", ", RecordingActionNames.All) + ")";

    /// <summary>415: a body whose content type is not <c>application/json</c>.</summary>
    public static string UnsupportedContentType(string contentType) =>
        "recording request body must be application/json, got " + Printable(contentType);

    /// <summary>
    /// 400: a custom header whose name is refused by <see cref="CustomHeaderPolicy"/> or whose value holds a control
    /// character; <paramref name="reason"/> (printable) says which, when known.
    /// </summary>
    public static string InvalidCustomHeader(string name, string? reason = null) =>
        "invalid custom header in recording request: " + Printable(name) + (reason is null ? "" : ": " + Printable(reason));

    /// <summary>400: a jambonz verb that is not <c>{"verb":"config","record":{…}}</c>.</summary>
    public static string InvalidVerb(string detail) => "invalid jambonz config.record verb: " + Printable(detail);

    /// <summary>503: every SRS failed; one <c>&lt;uri&gt;: &lt;outcome&gt;</c> per SRS, joined by <c>"; "</c>.</summary>
    public static string StartFailed(IEnumerable<(string SrsUri, string Outcome)> failures) =>
        "Error starting SipRec call recording: " + string.Join("; ", failures.Select(f => Printable(f.SrsUri) + ": " + Printable(f.Outcome)));

    /// <summary>404 body detail of the REST API (DESIGN §4.4): unknown call or session, or another account's.</summary>
    public const string ResourceNotFound = "Resource not found";

    /// <summary>400: a REST form field that is required and absent or empty.</summary>
    public static string MissingField(string field) => "missing required field " + Printable(field);

    /// <summary>400: a REST form field whose value is not accepted; names the field, the value (truncated) and what is expected.</summary>
    public static string InvalidField(string field, string? value, string expected)
    {
        var shown = value is { Length: > 80 } ? value[..80] + "…" : value;
        return "invalid " + Printable(field) + " '" + Printable(shown) + "': " + expected;
    }

    /// <summary>
    /// Makes a wire value safe to embed in a one-line text: CR, LF, TAB become <c>\r</c>, <c>\n</c>, <c>\t</c>,
    /// other control characters <c>\uXXXX</c>, and a double quote becomes a single quote (the text is quoted
    /// inside a <c>Warning</c> header).
    /// </summary>
    public static string Printable(string? value)
    {
        if (string.IsNullOrEmpty(value)) return string.Empty;
        if (!value.Any(c => char.IsControl(c) || c == '"')) return value;
        var builder = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '"': builder.Append('\''); break;
                default:
                    if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }
}
