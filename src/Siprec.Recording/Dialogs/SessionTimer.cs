using System.Globalization;

namespace Siprec.Recording.Dialogs;

/// <summary>RFC 4028 <c>Session-Expires</c> writing and reading; tolerant of whatever an SRS sends.</summary>
internal static class SessionTimer
{
    /// <summary>The header the SRC offers (<c>1800;refresher=uac</c>), or null when session timers are off.</summary>
    public static string? HeaderValue(TimeSpan sessionExpires) =>
        sessionExpires <= TimeSpan.Zero ? null : ((long)sessionExpires.TotalSeconds).ToString(CultureInfo.InvariantCulture) + ";refresher=uac";

    /// <summary>Reads <c>delta-seconds[;refresher=uac|uas]</c>; false when absent, malformed or under 1 s.</summary>
    public static bool TryRead(string? value, out TimeSpan interval, out string? refresher)
    {
        interval = TimeSpan.Zero;
        refresher = null;
        if (string.IsNullOrWhiteSpace(value))
            return false;
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > int.MaxValue)
            return false;
        interval = TimeSpan.FromSeconds(seconds);
        foreach (var p in parts.Skip(1))
        {
            var eq = p.IndexOf('=');
            if (eq > 0 && p[..eq].Trim().Equals("refresher", StringComparison.OrdinalIgnoreCase))
                refresher = p[(eq + 1)..].Trim().ToLowerInvariant();
        }

        return true;
    }
}
