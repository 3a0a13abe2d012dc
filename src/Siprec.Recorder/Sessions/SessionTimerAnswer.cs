using System.Globalization;
using Siprec.Sip.Messages;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// The session timer the SRS puts in its 2xx to an INVITE or UPDATE, as the UAS rules of RFC 4028 §9 decide it: the
/// interval (the SRC's <c>Session-Expires</c>, else the SRS's own default, never below the request's <c>Min-SE</c>), who
/// refreshes, and whether the answer carries <c>Require: timer</c>.
/// </summary>
/// <param name="Seconds">The session interval (RFC 4028 §4), in seconds.</param>
/// <param name="SrsRefreshes">True for <c>refresher=uas</c>: the SRS itself sends the refreshes at half the interval.</param>
/// <param name="RequireTimer">True when the answer carries <c>Require: timer</c> (only when the SRC supports timers).</param>
internal sealed record SessionTimerAnswer(int Seconds, bool SrsRefreshes, bool RequireTimer)
{
    /// <summary>
    /// Applies RFC 4028 §9 to <paramref name="request"/>. An SRC that supports timers (<c>Supported</c> or <c>Require</c>
    /// with <c>timer</c>) keeps the refresher it asked for, or refreshes itself when it named none (refresher=uac, with
    /// <c>Require: timer</c>, since the SRC must know it is the refresher). An SRC that does not support them cannot be
    /// asked to refresh: the SRS is the refresher (refresher=uas) and sends no <c>Require: timer</c>, which that SRC could
    /// not honour. Null when there is no timer: the request asks for none and <paramref name="defaultSeconds"/> is 0.
    /// </summary>
    /// <param name="request">The INVITE or UPDATE being answered.</param>
    /// <param name="defaultSeconds">The interval the SRS requires when the request has no <c>Session-Expires</c>; 0 for none.</param>
    public static SessionTimerAnswer? For(SipRequest request, int defaultSeconds)
    {
        var offered = SessionExpires(request, out var refresher);
        var seconds = offered is > 0 ? offered.Value : defaultSeconds;
        if (seconds <= 0) return null;
        if (offered is null && MinSe(request) is { } floor && floor > seconds) seconds = floor;

        var srcSupports = request.GetHeaderValues("Supported").Concat(request.GetHeaderValues("Require"))
            .Any(t => t.Trim().Equals("timer", StringComparison.OrdinalIgnoreCase));
        if (!srcSupports) return new SessionTimerAnswer(seconds, SrsRefreshes: true, RequireTimer: false);
        var srsRefreshes = offered is > 0 && string.Equals(refresher, "uas", StringComparison.OrdinalIgnoreCase);
        return new SessionTimerAnswer(seconds, srsRefreshes, RequireTimer: true);
    }

    /// <summary>The request's <c>Session-Expires</c> delta-seconds (RFC 4028 §4), or null when absent or unreadable.</summary>
    public static int? SessionExpires(SipRequest request) => SessionExpires(request, out _);

    /// <summary>The <c>Session-Expires</c> value of the answer: <c>1800;refresher=uac</c>.</summary>
    public string HeaderValue => $"{Seconds.ToString(CultureInfo.InvariantCulture)};refresher={(SrsRefreshes ? "uas" : "uac")}";

    private static int? SessionExpires(SipRequest request, out string? refresher)
    {
        refresher = null;
        var value = request.GetHeader("Session-Expires");
        if (value is null) return null;
        var parts = value.Split(';');
        foreach (var parameter in parts.Skip(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim().Equals("refresher", StringComparison.OrdinalIgnoreCase)) refresher = pair[1].Trim();
        }
        return int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }

    private static int? MinSe(SipRequest request) =>
        request.GetHeader("Min-SE") is { } value
        && int.TryParse(value.Split(';', 2)[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;
}
