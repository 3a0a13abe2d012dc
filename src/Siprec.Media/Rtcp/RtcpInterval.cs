namespace Siprec.Media.Rtcp;

/// <summary>
/// The RTCP report interval of a two-party session (RFC 3550 §6.2, §6.3.1): the 5 s minimum dominates the
/// bandwidth-derived interval for one audio stream, so each interval is the nominal one times a uniform random factor
/// in [0.5, 1.5]; the first report comes after half the minimum, randomized the same way. No timer reconsideration
/// (§6.3.6) and hence no e−3/2 compensation: group size never changes in a recording fork.
/// </summary>
internal static class RtcpInterval
{
    /// <summary>The RFC 3550 §6.2 recommended minimum interval: 5 s.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(5);

    /// <summary><paramref name="nominal"/> times a random factor in [0.5, 1.5].</summary>
    public static TimeSpan Next(TimeSpan nominal) => nominal * (0.5 + Random.Shared.NextDouble());

    /// <summary>The delay of the first report: half of <paramref name="nominal"/>, randomized as <see cref="Next"/>.</summary>
    public static TimeSpan First(TimeSpan nominal) => Next(nominal / 2);

    /// <summary>A random CNAME for one stream (RFC 7022 §4.2: 96 random bits, base64).</summary>
    public static string NewCname() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
