using System.Globalization;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest;

/// <summary>The JSON shapes of the REST API (DESIGN §4.4): a SIPREC session resource, a list of them, and errors.</summary>
internal static class SiprecResourceJson
{
    /// <summary>The path prefix of a call's SIPREC resources in a dialect.</summary>
    public static string CallPath(RestDialect dialect, string accountSid, string callSid) =>
        (dialect == RestDialect.Twilio ? "/2010-04-01" : "/v2/texml") + $"/Accounts/{accountSid}/Calls/{callSid}/Siprec";

    /// <summary>
    /// <c>account_sid</c>, <c>call_sid</c>, <c>sid</c>, <c>name</c>, <c>status</c>, <c>track</c>, <c>date_created</c>,
    /// <c>date_updated</c>, <c>start_time</c> (RFC 2822), <c>uri</c>, <c>error_code</c> (a number on the Twilio path, a string
    /// on the Telnyx path, as each documents), and beyond both vendors <c>recorders</c>: one
    /// <c>{"srs_uri","status","error_code","error","replaces","gap_ms"}</c> per SRS of the start, then one per standby a failover
    /// tried (<c>replaces</c>: the failed recorder's URI; <c>gap_ms</c>: audio not delivered until it accepted; both null for
    /// a recorder of the start), so a recorder lost while the session goes on is visible; an active recorder of a live call
    /// also has <c>media</c>: per stream <c>{"label","packets_sent","packets_lost","fraction_lost","jitter_ms","round_trip_ms"}</c>,
    /// the loss (cumulative packets, fraction 0..1 of the last interval) and jitter (ms) the recorder itself reports in its
    /// RTCP receiver reports (RFC 3550 §6.4.1; null before its first report or when it sends none).
    /// </summary>
    public static JObject Resource(RecordingResource resource, RestDialect dialect, string accountSid, IReadOnlyList<Siprec.Recording.RecorderStreamReport>? media = null) => new()
    {
        ["account_sid"] = accountSid,
        ["call_sid"] = resource.CallSid,
        ["sid"] = resource.Sid,
        ["name"] = resource.Name,
        ["status"] = resource.Status,
        ["track"] = RecordingTrackNames.ToName(resource.Track),
        ["date_created"] = Rfc2822Time.Format(resource.DateCreated),
        ["date_updated"] = Rfc2822Time.Format(resource.DateUpdated),
        ["start_time"] = resource.StartTime is { } start ? Rfc2822Time.Format(start) : null,
        ["uri"] = CallPath(dialect, accountSid, resource.CallSid) + "/" + resource.Sid + ".json",
        ["error_code"] = ErrorCode(resource.ErrorCode, dialect),
        ["recorders"] = new JArray(resource.Recorders.Select(r => new JObject
        {
            ["srs_uri"] = r.SrsUri,
            ["status"] = r.Status,
            ["error_code"] = ErrorCode(r.ErrorCode, dialect),
            ["error"] = r.ErrorText,
            ["replaces"] = r.Replaces,
            ["gap_ms"] = r.GapMs,
            ["media"] = r.Status == RecorderResource.Active && media is not null ? Media(media, r.SrsUri) : null,
        })),
    };

    private static JArray Media(IReadOnlyList<Siprec.Recording.RecorderStreamReport> media, string srsUri) =>
        new(media.Where(m => string.Equals(m.SrsUri, srsUri, StringComparison.OrdinalIgnoreCase)).Select(m => new JObject
        {
            ["label"] = m.Label,
            ["packets_sent"] = m.PacketsSent,
            ["packets_lost"] = m.Report?.CumulativeLost,
            ["fraction_lost"] = m.Report?.FractionLost,
            ["jitter_ms"] = m.Report is { } report ? Math.Round(report.JitterMs, 3) : null,
            ["round_trip_ms"] = m.Report?.RoundTrip is { } roundTrip ? Math.Round(roundTrip.TotalMilliseconds, 3) : null,
        }));

    private static JToken? ErrorCode(int? code, RestDialect dialect) =>
        code is not { } value ? JValue.CreateNull()
        : dialect == RestDialect.Telnyx ? new JValue(value.ToString(CultureInfo.InvariantCulture))
        : new JValue(value);

    /// <summary>
    /// A call's sessions: <c>{"siprec_sessions":[…],"uri":"…/Siprec.json"}</c>, oldest first; <paramref name="mediaOf"/> gives a
    /// session's stream reports by its SID (null: none, an ended call).
    /// </summary>
    public static JObject List(IEnumerable<RecordingResource> resources, RestDialect dialect, string accountSid, string callSid,
        Func<string, IReadOnlyList<Siprec.Recording.RecorderStreamReport>>? mediaOf = null) => new()
    {
        ["siprec_sessions"] = new JArray(resources.Select(r => Resource(r, dialect, accountSid, mediaOf?.Invoke(r.Sid)))),
        ["uri"] = CallPath(dialect, accountSid, callSid) + ".json",
    };

    /// <summary><c>{"errors":[{"detail":"…"}]}</c>, with <c>"code"</c> when the failure has one (the §4.2 code).</summary>
    public static JObject Error(string detail, int? code = null)
    {
        var error = new JObject();
        if (code is not null)
        {
            error["code"] = code;
        }
        error["detail"] = detail;
        return new JObject { ["errors"] = new JArray(error) };
    }
}
