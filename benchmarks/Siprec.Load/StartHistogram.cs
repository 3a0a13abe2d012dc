using System.Globalization;

namespace Siprec.Load;

/// <summary>
/// The gateway's own count of recording starts by duration: the cumulative buckets of
/// <c>siprec_gateway_recording_start_duration_seconds</c> for answers with code 200, read from its Prometheus scrape
/// (<c>/metrics</c>, text exposition format). The harness times a start from its own side (INFO sent → 200 received), which
/// includes the harness's and the kernel's scheduling delays on a shared machine; the difference of two snapshots says how
/// long the gateway itself took for the starts in between, at the buckets' resolution.
/// </summary>
internal sealed class StartHistogram
{
    private const string Bucket = "siprec_gateway_recording_start_duration_seconds_bucket{";

    private StartHistogram(SortedDictionary<double, long> cumulative) => Cumulative = cumulative;

    /// <summary>Upper bound in seconds → starts at or below it (Prometheus buckets are cumulative; +Inf is the total).</summary>
    public SortedDictionary<double, long> Cumulative { get; }

    /// <summary>Starts counted.</summary>
    public long Count => Cumulative.Count == 0 ? 0 : Cumulative.Values.Max();

    /// <summary>Reads the histogram from a scrape's text; empty when the metric is not there yet (no start answered).</summary>
    public static StartHistogram Parse(string exposition)
    {
        var buckets = new SortedDictionary<double, long>();
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(Bucket, StringComparison.Ordinal) || !line.Contains("code=\"200\"", StringComparison.Ordinal)) continue;
            var le = line.IndexOf("le=\"", StringComparison.Ordinal);
            var close = le < 0 ? -1 : line.IndexOf('"', le + 4);
            var space = line.LastIndexOf(' ');
            if (close < 0 || space < close) continue;
            var bound = line[(le + 4)..close] == "+Inf" ? double.PositiveInfinity
                : double.Parse(line[(le + 4)..close], NumberStyles.Float, CultureInfo.InvariantCulture);
            var count = (long)double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            buckets[bound] = buckets.GetValueOrDefault(bound) + count; // summed over any other label sets
        }
        return new StartHistogram(buckets);
    }

    /// <summary>The starts between <paramref name="before"/> and this snapshot.</summary>
    public StartHistogram Since(StartHistogram before) =>
        new(new SortedDictionary<double, long>(Cumulative.ToDictionary(b => b.Key, b => b.Value - before.Cumulative.GetValueOrDefault(b.Key))));

    /// <summary>Percent of the starts answered within <paramref name="seconds"/> (which must be a bucket bound); null without starts.</summary>
    public double? PercentWithin(double seconds) =>
        Count == 0 || !Cumulative.TryGetValue(seconds, out var within) ? null : within * 100.0 / Count;

    /// <summary>The smallest bucket bound with at least <paramref name="percent"/> % of the starts at or below it, in seconds; null without starts.</summary>
    public double? PercentileUpperBound(double percent)
    {
        if (Count == 0) return null;
        foreach (var (bound, within) in Cumulative)
        {
            if (within * 100.0 >= percent * Count) return bound;
        }
        return double.PositiveInfinity;
    }
}
