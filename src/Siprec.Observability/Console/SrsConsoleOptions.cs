using System.Net;

namespace Siprec.Observability.Console;

/// <summary>Settings of the SRS's HTTP port (<c>siprec srs --http HOST:PORT</c>): console, <c>/metrics</c>, OTLP.</summary>
public sealed class SrsConsoleOptions
{
    /// <summary>Where to listen; loopback by default. Port 0 picks a free port (see <see cref="SrsConsole.EndPoint"/>).</summary>
    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, 8090);

    /// <summary>
    /// <c>USER:PASSWORD</c> that a request must carry as HTTP Basic credentials when <see cref="EndPoint"/> is not loopback;
    /// required then (the console refuses to start open on a network address). Ignored on loopback.
    /// </summary>
    public string? Credentials { get; init; }

    /// <summary>How often the live-session stream (<c>/live/events</c>) sends the sessions; 500 ms so a new one shows within a second.</summary>
    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The most finished recordings one page shows (each with its waveforms).</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>OTLP collector endpoint for the SRS's metrics; null: Prometheus scrape only.</summary>
    public Uri? OtlpEndpoint { get; init; }
}
