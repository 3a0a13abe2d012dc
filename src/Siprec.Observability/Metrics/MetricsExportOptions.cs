namespace Siprec.Observability.Metrics;

/// <summary>What a host exports through OpenTelemetry: its meters, under which service name, and where OTLP goes.</summary>
public sealed class MetricsExportOptions
{
    /// <summary>The OpenTelemetry <c>service.name</c> resource attribute (e.g. <c>siprec-gateway</c>, <c>siprec-srs</c>).</summary>
    public string ServiceName { get; init; } = "siprec";

    /// <summary>Names of the System.Diagnostics.Metrics meters to export (e.g. <c>Siprec.Gateway</c>); every instance with a listed name is read.</summary>
    public IReadOnlyList<string> MeterNames { get; init; } = [];

    /// <summary>
    /// The OTLP collector endpoint (configuration key <c>otlp.endpoint</c>): http://HOST:4317 for gRPC, or a URL ending in
    /// <c>/v1/metrics</c> for HTTP/protobuf; null: no OTLP export, only the Prometheus scrape endpoint.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How often metrics are pushed to <see cref="OtlpEndpoint"/>; the OpenTelemetry default is 60 s.</summary>
    public TimeSpan OtlpInterval { get; init; } = TimeSpan.FromSeconds(60);
}
