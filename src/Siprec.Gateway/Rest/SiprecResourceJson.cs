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
    /// <c>date_updated</c>, <c>start_time</c> (RFC 2822), <c>uri</c>, <c>error_code</c>.
    /// </summary>
    public static JObject Resource(RecordingResource resource, RestDialect dialect, string accountSid) => new()
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
        ["error_code"] = resource.ErrorCode,
    };

    /// <summary>A call's sessions: <c>{"siprec_sessions":[…],"uri":"…/Siprec.json"}</c>, oldest first.</summary>
    public static JObject List(IEnumerable<RecordingResource> resources, RestDialect dialect, string accountSid, string callSid) => new()
    {
        ["siprec_sessions"] = new JArray(resources.Select(r => Resource(r, dialect, accountSid))),
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
