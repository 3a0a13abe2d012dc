using System.Globalization;
using Microsoft.AspNetCore.Http;
using Siprec.Control;

namespace Siprec.Gateway.Rest;

/// <summary>
/// The query of a Calls list (issue 13) as Twilio and Telnyx document it: <c>Status</c> filter, <c>PageSize</c> (default 50,
/// at most 1000), <c>Page</c> (zero-based; without a token the page starts at <c>Page × PageSize</c>) and <c>PageToken</c> (the
/// opaque cursor of a <c>next_page_uri</c>: the page starts after the call it names, so calls that begin meanwhile do not
/// shift it). Filters the gateway cannot apply (<c>To</c>, <c>From</c>, <c>StartTime</c>, <c>EndTime</c>,
/// <c>ParentCallSid</c>) are refused rather than ignored, so a client never takes an unfiltered list for a filtered one.
/// </summary>
/// <param name="Status">The wanted status; null for all.</param>
/// <param name="PageSize">Calls per page.</param>
/// <param name="Page">The page index.</param>
/// <param name="PageToken">The cursor; null for none.</param>
internal sealed record CallListQuery(string? Status, int PageSize, int Page, string? PageToken)
{
    /// <summary>Calls per page when <c>PageSize</c> is absent (Twilio's default).</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest <c>PageSize</c> (Twilio's limit).</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The <c>Status</c> values both vendors document for a call.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["queued", "ringing", "in-progress", "canceled", "completed", "failed", "busy", "no-answer"];

    private static readonly string[] Unsupported = ["To", "From", "StartTime", "StartTime<", "StartTime>", "EndTime", "EndTime<", "EndTime>", "ParentCallSid"];

    /// <summary>Reads the query; a bad value is a 400 naming the parameter. Never throws on the query.</summary>
    public static bool TryParse(IQueryCollection query, out CallListQuery? result, out RecordingControlError? error)
    {
        result = null;
        error = null;
        if (Unsupported.FirstOrDefault(query.ContainsKey) is { } filter)
        {
            error = Refuse(filter, query[filter].ToString(), "this gateway filters calls by Status only");
            return false;
        }
        var status = Value(query, "Status");
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            error = Refuse("Status", status, "one of " + string.Join(", ", Statuses));
            return false;
        }
        var pageSize = DefaultPageSize;
        if (Value(query, "PageSize") is { } sizeText
            && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            error = Refuse("PageSize", sizeText, string.Create(CultureInfo.InvariantCulture, $"a whole number from 1 to {MaxPageSize}"));
            return false;
        }
        var page = 0;
        if (Value(query, "Page") is { } pageText
            && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page > 1_000_000))
        {
            error = Refuse("Page", pageText, "a whole number from 0");
            return false;
        }
        var token = Value(query, "PageToken");
        if (token is not null && !CallPage.IsToken(token))
        {
            error = Refuse("PageToken", token, "the PageToken of a next_page_uri");
            return false;
        }
        result = new CallListQuery(status, pageSize, page, token);
        return true;
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && !string.IsNullOrWhiteSpace(values.ToString()) ? values.ToString().Trim() : null;

    private static RecordingControlError Refuse(string name, string value, string expected) =>
        new(400, RecordingErrorTexts.InvalidField(name, value, expected)) { Field = name };
}
