using System.Diagnostics;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.Observability.Tests.Metrics;

/// <summary>
/// Issue 17: the gateway's and the SRS's <c>/metrics</c> scraped during a recorded demo call: the active-recording gauges
/// read 1, the RTP packet counters grow between two scrapes, and the text passes <c>promtool check metrics</c>.
/// </summary>
[Collection(RecordedCallCollection.Name)]
public sealed class MetricsScrapeTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task DuringARecordedCall_TheActiveRecordingGaugesRead1_PacketCountersGrow_AndTheTextPassesPromtool()
    {
        var promtool = Peers.Require("promtool");
        await using var loop = await RecordedCallHarness.StartAsync();
        var srsMetrics = $"{loop.ConsoleUrl}/metrics";
        var gatewayMetrics = $"{loop.GatewayUrl}/metrics";

        var call = loop.CallAsync();
        string srsText = "", gatewayText = "";
        await Poll.UntilAsync(async () =>
        {
            srsText = (await RecordedCallHarness.GetAsync(srsMetrics)).Body;
            gatewayText = (await RecordedCallHarness.GetAsync(gatewayMetrics)).Body;
            return PrometheusText.Sum(srsText, "siprec_srs_sessions_active") == 1
                && PrometheusText.Sum(gatewayText, "siprec_gateway_recordings_active") == 1
                && PrometheusText.Sum(srsText, "siprec_srs_rtp_packets_total", "state=\"recorded\"") > 0;
        }, TimeSpan.FromSeconds(20), "one active recording on both sides with RTP recorded");
        var srsPackets = PrometheusText.Sum(srsText, "siprec_srs_rtp_packets_total")!.Value;
        var forwarded = PrometheusText.Sum(gatewayText, "siprec_media_rtp_forwarded_total", "engine=\"embedded\"")!.Value;
        Assert.Equal(1, PrometheusText.Sum(gatewayText, "siprec_gateway_calls_active"));
        Assert.True(PrometheusText.Sum(gatewayText, "siprec_gateway_recorders", "state=\"active\"") >= 1, "no recorder reported active");

        await Poll.UntilAsync(async () =>
        {
            srsText = (await RecordedCallHarness.GetAsync(srsMetrics)).Body;
            gatewayText = (await RecordedCallHarness.GetAsync(gatewayMetrics)).Body;
            return PrometheusText.Sum(srsText, "siprec_srs_rtp_packets_total") > srsPackets
                && PrometheusText.Sum(gatewayText, "siprec_media_rtp_forwarded_total") > forwarded;
        }, TimeSpan.FromSeconds(10), "the packet counters to grow between two scrapes");

        Assert.Contains("process_cpu_time_seconds_total", gatewayText, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes_total", srsText, StringComparison.Ordinal);
        Assert.Contains("siprec_srs_wav_written_bytes_total", srsText, StringComparison.Ordinal);
        Assert.Equal(0, await PromtoolAsync(promtool, srsText));
        Assert.Equal(0, await PromtoolAsync(promtool, gatewayText));
        AssertTheDashboardQueriesExposedMetrics(srsText + gatewayText);

        await call.WaitAsync(RecordedCallHarness.CallBound);
        await Poll.UntilAsync(async () =>
            PrometheusText.Sum((await RecordedCallHarness.GetAsync(srsMetrics)).Body, "siprec_srs_sessions_active") == 0,
            RecordedCallHarness.CallBound, "the SRS's active-session gauge back at 0 after the call");
        var after = (await RecordedCallHarness.GetAsync(gatewayMetrics)).Body;
        Assert.Equal(0, PrometheusText.Sum(after, "siprec_gateway_recordings_active"));
        Assert.True(PrometheusText.Sum(after, "siprec_gateway_recording_start_duration_seconds_count") >= 1, "the start latency histogram has no sample");
    }

    // samples/grafana/siprec.json must query metrics that exist: each siprec_/process_ name in it is in the scrapes, or is a
    // counter that only appears once something went wrong (no failure happens in this call).
    private static void AssertTheDashboardQueriesExposedMetrics(string scraped)
    {
        string[] onlyAfterAFault = ["siprec_gateway_recorder_failures_total", "siprec_srs_write_errors_total", "siprec_srs_rtp_lost_total",
            "siprec_srs_rtp_late_total", "siprec_srs_sessions_refused_total", "siprec_media_rtp_dropped_total", "siprec_media_rtp_late_total", "siprec_gateway_recorder_outcomes_total"];
        var exposed = scraped.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        var dashboard = File.ReadAllText(Path.Combine(RepoPaths.Samples, "grafana", "siprec.json"));
        var queried = System.Text.RegularExpressions.Regex.Matches(dashboard, @"\b(?:siprec|process)_[a-z_]+").Select(m => m.Value)
            .Select(n => n.EndsWith("_bucket", StringComparison.Ordinal) ? n[..^"_bucket".Length] : n).Distinct().ToList();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.True(exposed.Contains(name) || onlyAfterAFault.Contains(name), $"the dashboard queries {name}, which no scrape exposes"));
    }

    private async Task<int> PromtoolAsync(string promtool, string text)
    {
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await process.StandardInput.WriteAsync(text);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(bound.Token);
            output.WriteLine($"promtool: exit {process.ExitCode} {await stdout} {await stderr}");
            return process.ExitCode;
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
