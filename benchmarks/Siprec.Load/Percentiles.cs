namespace Siprec.Load;

/// <summary>Percentiles of a sample by the nearest-rank method (the smallest value with at least p % of the sample at or below it).</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="percent"/>-th percentile of <paramref name="values"/>; null for an empty sample.</summary>
    public static double? Of(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
