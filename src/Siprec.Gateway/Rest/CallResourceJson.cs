using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Siprec.Gateway.Rest;

/// <summary>
/// The JSON shapes of the Calls resource (issue 13): one call and a page of them, with each vendor's documented field set.
/// Only what the gateway knows is filled (<c>sid</c>, <c>account_sid</c>, <c>from</c>/<c>to</c> as the INVITE's URIs,
/// <c>status</c>, <c>direction</c> <c>inbound</c>: the gateway answers calls, times, <c>duration</c>, <c>uri</c>, and on the
/// Twilio path <c>api_version</c> and <c>subresource_uris.siprec</c>); every other documented field is null, never invented.
/// Both vendors write <c>duration</c> as a string of seconds and <c>uri</c> relative with <c>.json</c>.
/// </summary>
internal static class CallResourceJson
{
    /// <summary>The path of an account's Calls list in a dialect, e.g. <c>/2010-04-01/Accounts/AC…/Calls.json</c>.</summary>
    public static string ListPath(RestDialect dialect, string accountSid) => Prefix(dialect) + $"/Accounts/{accountSid}/Calls.json";

    /// <summary>One call.</summary>
    public static JObject Resource(RestCall call, RestDialect dialect, string accountSid)
    {
        var callPath = Prefix(dialect) + $"/Accounts/{accountSid}/Calls/{call.CallSid}";
        var created = call.Started is { } started ? Rfc2822Time.Format(started) : null;
        var body = new JObject
        {
            ["account_sid"] = accountSid,
            ["answered_by"] = null,
            ["caller_name"] = null,
            ["date_created"] = created,
            ["date_updated"] = call.Ended is { } ended ? Rfc2822Time.Format(ended) : created,
            ["direction"] = "inbound",
            ["duration"] = Duration(call),
            ["end_time"] = call.Ended is { } end ? Rfc2822Time.Format(end) : null,
            ["from"] = call.From,
            ["from_formatted"] = null,
            ["price"] = null,
            ["price_unit"] = null,
            ["sid"] = call.CallSid,
            ["start_time"] = created,
            ["status"] = call.Status,
            ["to"] = call.To,
            ["to_formatted"] = null,
            ["uri"] = callPath + ".json",
        };
        if (dialect == RestDialect.Twilio)
        {
            body["annotation"] = null;
            body["api_version"] = "2010-04-01";
            body["forwarded_from"] = null;
            body["group_sid"] = null;
            body["parent_call_sid"] = null;
            body["phone_number_sid"] = null;
            body["queue_time"] = null;
            body["trunk_sid"] = null;
            body["subresource_uris"] = new JObject { ["siprec"] = callPath + "/Siprec.json" };
        }
        return body;
    }

    /// <summary>
    /// A page: <c>calls</c>, <c>start</c> and <c>end</c> (zero-based indexes of the first and last record), <c>page</c>,
    /// <c>page_size</c>, <c>uri</c>, <c>first_page_uri</c>, <c>next_page_uri</c> (null on the last page) and, on the
    /// Twilio path, <c>previous_page_uri</c> (null on the first page).
    /// </summary>
    public static JObject Page(CallPage page, RestDialect dialect, string accountSid)
    {
        var start = page.Query.Page * page.Query.PageSize;
        var body = new JObject
        {
            ["calls"] = new JArray(page.Calls.Select(c => Resource(c, dialect, accountSid))),
            ["end"] = page.Calls.Count == 0 ? start : start + page.Calls.Count - 1,
            ["first_page_uri"] = PageUri(dialect, accountSid, page.Query with { Page = 0, PageToken = null }),
            ["next_page_uri"] = page.NextToken is { } next ? PageUri(dialect, accountSid, page.Query with { Page = page.Query.Page + 1, PageToken = next }) : null,
            ["page"] = page.Query.Page,
            ["page_size"] = page.Query.PageSize,
            ["start"] = start,
            ["uri"] = PageUri(dialect, accountSid, page.Query),
        };
        if (dialect == RestDialect.Twilio)
        {
            // Without a token the previous page is found by offset (Page × PageSize).
            body["previous_page_uri"] = page.Query.Page > 0 ? PageUri(dialect, accountSid, page.Query with { Page = page.Query.Page - 1, PageToken = null }) : null;
        }
        return body;
    }

    private static string PageUri(RestDialect dialect, string accountSid, CallListQuery query)
    {
        var uri = ListPath(dialect, accountSid) + "?";
        if (query.Status is { } status) uri += "Status=" + Uri.EscapeDataString(status) + "&";
        uri += string.Create(CultureInfo.InvariantCulture, $"PageSize={query.PageSize}&Page={query.Page}");
        return query.PageToken is { } token ? uri + "&PageToken=" + Uri.EscapeDataString(token) : uri;
    }

    // Whole seconds from answer to teardown; null while the call goes on (Twilio: empty for ongoing calls).
    private static string? Duration(RestCall call) =>
        call is { Started: { } started, Ended: { } ended }
            ? ((long)Math.Max(0, (ended - started).TotalSeconds)).ToString(CultureInfo.InvariantCulture)
            : null;

    private static string Prefix(RestDialect dialect) => dialect == RestDialect.Twilio ? "/2010-04-01" : "/v2/texml";
}
