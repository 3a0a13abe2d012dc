using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Siprec.Gateway.Rest;

/// <summary>
/// One page of an account's calls (issue 13), cut from the list newest first, and the cursor of the next page. A cursor
/// (<c>PageToken</c>) is <c>PT</c> + base64url of the last call's answer time (ticks) and SID, so the next page starts after
/// that call wherever it now stands.
/// </summary>
/// <param name="Query">The query the page answers.</param>
/// <param name="Calls">The page's calls.</param>
/// <param name="NextToken">The cursor of the next page; null when this is the last.</param>
internal sealed record CallPage(CallListQuery Query, IReadOnlyList<RestCall> Calls, string? NextToken)
{
    private const string TokenPrefix = "PT";

    /// <summary>The page of <paramref name="calls"/> (newest first, as <see cref="RestCallDirectory.ForAccount"/> orders them) the query asks for.</summary>
    public static CallPage Of(IReadOnlyList<RestCall> calls, CallListQuery query)
    {
        var matching = query.Status is null ? calls : calls.Where(c => c.Status == query.Status).ToList();
        var skipped = query.PageToken is { } token && TryRead(token, out var ticks, out var sid)
            ? matching.SkipWhile(c => !IsAfter(c, ticks, sid))
            : matching.Skip((int)Math.Min(int.MaxValue, (long)query.Page * query.PageSize));
        var taken = skipped.Take(query.PageSize + 1).ToList();
        var page = taken.Take(query.PageSize).ToList();
        return new CallPage(query, page, taken.Count > query.PageSize ? Token(page[^1]) : null);
    }

    /// <summary>True when <paramref name="token"/> is a cursor this gateway wrote.</summary>
    public static bool IsToken(string token) => TryRead(token, out _, out _);

    private static string Token(RestCall last) =>
        TokenPrefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            (last.Started?.UtcTicks ?? 0).ToString(CultureInfo.InvariantCulture) + ":" + last.CallSid));

    private static bool TryRead(string token, out long ticks, out string sid)
    {
        ticks = 0;
        sid = "";
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200) return false;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token.AsSpan(TokenPrefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out ticks)) return false;
        sid = text[(colon + 1)..];
        return sid.Length > 0;
    }

    // The list is ordered by answer time, then SID, both descending: a call comes after the cursor when it is older, or as
    // old with a smaller SID.
    private static bool IsAfter(RestCall call, long ticks, string sid)
    {
        var callTicks = call.Started?.UtcTicks ?? 0;
        return callTicks < ticks || (callTicks == ticks && string.CompareOrdinal(call.CallSid, sid) < 0);
    }
}
