using Newtonsoft.Json.Linq;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest;

/// <summary>
/// Where the two vendors' documented shapes differ beyond the field set, applied once as an answer is written, so the
/// operations build one shape (issue 13):
/// <list type="bullet">
/// <item>Errors carry a <see cref="RestErrorCodes"/> code. Twilio path: Twilio's top-level <c>code</c> (number),
/// <c>message</c>, <c>more_info</c> (Twilio's page of a Twilio code, else null) and <c>status</c>, plus DESIGN §4.4's
/// <c>errors[{code, detail}]</c>. Telnyx path: <c>errors[{code, title, detail}]</c> with <c>code</c> a string, as Telnyx
/// writes its errors.</item>
/// <item>Telnyx path: a SIPREC session's <c>uri</c> is the absolute URL of the resource without <c>.json</c>, as Telnyx
/// documents it; the Twilio path keeps Twilio's relative <c>uri</c> with <c>.json</c>.</item>
/// </list>
/// </summary>
internal static class RestDialectShape
{
    /// <summary>The answer as the dialect documents it.</summary>
    /// <param name="dialect">The request's dialect.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The body the operation built (<see cref="SiprecResourceJson"/>).</param>
    /// <param name="baseUrl">The absolute base of the API (scheme, host, port; no trailing slash) for Telnyx's absolute URIs.</param>
    public static JObject Apply(RestDialect dialect, int status, JObject body, string baseUrl)
    {
        if (status >= 400)
        {
            return Error(dialect, status, body);
        }
        if (dialect == RestDialect.Telnyx)
        {
            AbsoluteSessionUri(body, baseUrl);
            foreach (var session in (body["siprec_sessions"] as JArray)?.OfType<JObject>() ?? [])
            {
                AbsoluteSessionUri(session, baseUrl);
            }
        }
        return body;
    }

    private static JObject Error(RestDialect dialect, int status, JObject body)
    {
        var first = body.SelectToken("errors[0]") as JObject;
        var detail = (string?)first?["detail"] ?? "";
        // An operation gives a RestErrorCodes code (five digits) when it knows it, else the status to derive it from.
        var given = first?["code"]?.Type == JTokenType.Integer ? (int?)first["code"] : null;
        var code = given is >= 10_000 ? given.Value : RestErrorCodes.ForAnswer(status, detail);
        if (dialect == RestDialect.Telnyx)
        {
            var title = RestErrorCodes.Title(code);
            return new JObject
            {
                ["errors"] = new JArray(new JObject { ["code"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture), ["title"] = title, ["detail"] = detail }),
            };
        }
        return new JObject
        {
            ["code"] = code,
            ["message"] = detail,
            ["more_info"] = RestErrorCodes.TwilioInfoUrl(code),
            ["status"] = status,
            ["errors"] = new JArray(new JObject { ["code"] = code, ["detail"] = detail }),
        };
    }

    // Only a session's own uri (…/Siprec/SR….json) changes; list and call uris keep the relative form both vendors show.
    private static void AbsoluteSessionUri(JObject resource, string baseUrl)
    {
        if ((string?)resource["sid"] is { } sid && sid.StartsWith("SR", StringComparison.Ordinal)
            && (string?)resource["uri"] is { } uri && uri.StartsWith('/') && uri.EndsWith(".json", StringComparison.Ordinal))
        {
            resource["uri"] = baseUrl + uri[..^".json".Length];
        }
    }
}
