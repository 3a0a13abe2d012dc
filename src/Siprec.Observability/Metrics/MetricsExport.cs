using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Siprec.Observability.Metrics;

/// <summary>
/// Wires a host's meters into OpenTelemetry (<c>OpenTelemetry.Extensions.Hosting</c>): a Prometheus scrape endpoint in the
/// text exposition format at <see cref="ScrapePath"/>, OTLP export when an endpoint is configured, and the .NET runtime
/// (GC, thread pool, exceptions) and process (CPU time, memory) instrumentation. Prometheus names come from the instrument
/// names with dots as underscores and the unit appended (<c>siprec.gateway.recording.start.duration</c> in s becomes
/// <c>siprec_gateway_recording_start_duration_seconds</c>; counters end in <c>_total</c>). Durations are in seconds, the base
/// unit Prometheus expects.
/// </summary>
public static class MetricsExport
{
    /// <summary>Where the Prometheus text exposition is served.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>Registers the meter provider with the exporters <paramref name="options"/> asks for.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddMetricsExport(this IServiceCollection services, MetricsExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. options.MeterNames]);
                metrics.AddRuntimeInstrumentation();
                metrics.AddProcessInstrumentation();
                metrics.AddView(PrometheusFriendlyName);
                // The scrape is not cached: a test or an operator reading right after an event sees it.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = endpoint.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal)
                            ? OtlpExportProtocol.HttpProtobuf
                            : OtlpExportProtocol.Grpc;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpInterval.TotalMilliseconds;
                    });
                }
            });
        return services;
    }

    /// <summary>
    /// Renames the runtime and process instruments named <c>….count</c> that are gauges or up-down counters
    /// (<c>process.thread.count</c> → <c>process.threads</c>): Prometheus reserves the <c>_count</c> suffix for histograms and
    /// summaries, and <c>promtool check metrics</c> rejects it elsewhere. Every other instrument keeps its name.
    /// </summary>
    internal static MetricStreamConfiguration? PrometheusFriendlyName(System.Diagnostics.Metrics.Instrument instrument)
    {
        var name = instrument.Name;
        if (!name.EndsWith(".count", StringComparison.Ordinal) || instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal)) return null;
        var stem = name[..^".count".Length];
        return new MetricStreamConfiguration { Name = stem.EndsWith('y') ? stem[..^1] + "ies" : stem + "s" };
    }

    /// <summary>Serves the Prometheus scrape endpoint at <see cref="ScrapePath"/>.</summary>
    public static IEndpointConventionBuilder MapMetricsExport(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(ScrapePath);
    }
}
