using System.Globalization;
using System.Text;

namespace Siprec.Load;

/// <summary>
/// The run's table, one Markdown row per step (so it pastes into docs/PERFORMANCE.md as it is). With two engines a
/// ratio column gives, in each later engine's row, the first engine's CPU-µs per packet ÷ this one's at the same N.
/// </summary>
internal static class ResultTable
{
    private static readonly string[] Columns =
    [
        "engine", "calls", "answered / recording", "gw CPU %", "SRS CPU %", "harness CPU %", "harness lag ms", "gw µs/pkt", "gw rx threads µs/caller pkt", "SRS pkts",
        "delivered %", "seq loss caller %", "seq loss bot %", "late merged", "late dropped", "start p50 ms", "start p99 ms", "gw start ≤ 10 ms %", "gw start p99 ≤ ms", "gw RSS MB", "SRS RSS MB",
    ];

    /// <summary>The table's text, header included.</summary>
    public static string Format(IReadOnlyList<StepResult> results)
    {
        var engines = results.Select(r => r.Engine).Distinct().ToList();
        var withRatio = engines.Count > 1;
        var columns = withRatio ? [.. Columns, $"µs/pkt {Name(engines[0])} ÷ this"] : Columns;
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", columns).AppendLine(" |");
        text.Append('|').AppendJoin('|', columns.Select((_, i) => i == 0 ? "---" : "---:")).AppendLine("|");
        foreach (var r in results)
        {
            var cells = new List<string>
            {
                Name(r.Engine),
                Int(r.Calls),
                $"{Int(r.Answered)} / {Int(r.Recording)}",
                Fixed(r.GatewayCpuPercent, 1),
                Fixed(r.SrsCpuPercent, 1),
                Fixed(r.HarnessCpuPercent, 1),
                Fixed(r.GeneratorMaxLagMs, 0),
                r.GatewayMicrosPerPacket is { } micros ? Fixed(micros, 1) : "–",
                r.ReceiveThreadMicrosPerCallerPacket is { } rx ? Fixed(rx, 1) : "–",
                Int(r.Media.Received),
                r.Media.DeliveredPercent is { } delivered ? Fixed(delivered, 2) : "–",
                Percent(r.Media.Caller.LossPercent),
                Percent(r.Media.Bot.LossPercent),
                Int(r.Media.LatePacketsMerged),
                Int(r.Media.LatePacketsDropped),
                r.StartP50 is { } p50 ? Fixed(p50, 1) : "–",
                r.StartP99 is { } p99 ? Fixed(p99, 1) : "–",
                r.GatewayStarts?.PercentWithin(0.01) is { } within ? Fixed(within, 1) : "–",
                r.GatewayStarts?.PercentileUpperBound(99) is { } bound ? (double.IsPositiveInfinity(bound) ? "> 30,000" : Fixed(bound * 1000, 0)) : "–",
                Fixed(r.GatewayRssBytes / 1048576.0, 0),
                Fixed(r.SrsRssBytes / 1048576.0, 0),
            };
            if (withRatio) cells.Add(Ratio(results, r, engines[0]));
            text.Append("| ").AppendJoin(" | ", cells).AppendLine(" |");
        }
        return text.ToString();
    }

    private static string Ratio(IReadOnlyList<StepResult> results, StepResult row, MediaEngineKind first)
    {
        if (row.Engine == first) return "";
        var baseline = results.FirstOrDefault(r => r.Engine == first && r.Calls == row.Calls)?.GatewayMicrosPerPacket;
        return baseline is { } b && row.GatewayMicrosPerPacket is { } m and > 0 ? Fixed(b / m, 2) : "–";
    }

    private static string Name(MediaEngineKind engine) => engine.ToString().ToLowerInvariant();

    private static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fixed(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    // Loss is small when things go well; three decimals show the 0.1 % target's neighbourhood.
    private static string Percent(double? value) => value is { } v ? Fixed(v, 3) : "–";
}
