using System.Globalization;

namespace Siprec.Observability.Tests.Metrics;

/// <summary>Reads samples out of a Prometheus text exposition (format 0.0.4) for assertions.</summary>
internal static class PrometheusText
{
    /// <summary>The sum of every sample of <paramref name="name"/> (all label sets) whose labels contain <paramref name="label"/>; null when none.</summary>
    public static double? Sum(string text, string name, string? label = null)
    {
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal)) continue;
            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' ')) continue;
            if (label is not null && !rest.Contains(label, StringComparison.Ordinal)) continue;
            var value = rest[(rest.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
