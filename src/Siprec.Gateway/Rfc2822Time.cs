using System.Globalization;

namespace Siprec.Gateway;

/// <summary>Times as Twilio writes them in REST resources and callbacks: RFC 2822 §3.3, UTC, e.g. <c>Tue, 10 Jan 2023 19:10:05 +0000</c>.</summary>
internal static class Rfc2822Time
{
    /// <summary>Formats <paramref name="time"/> in UTC with the invariant culture.</summary>
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
