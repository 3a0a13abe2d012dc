using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using Siprec.Observability.Hosting;
using Siprec.Observability.Metrics;
using Siprec.Recorder;

namespace Siprec.Observability.Console;

/// <summary>
/// The SRS's HTTP port (issue 17), read-only: the recordings console at <c>/</c> (live sessions, finished recordings with
/// waveforms, search), each recording's WAV at <c>/recordings/{session}/audio.wav</c> (HTTP range requests, RFC 9110 §14)
/// and sidecar at <c>/recordings/{session}/sidecar.json</c>, the live sessions as JSON at <c>/live</c> and as server-sent
/// events at <c>/live/events</c>, and the Prometheus scrape at <c>/metrics</c>. Open on loopback; elsewhere every path
/// needs <see cref="SrsConsoleOptions.Credentials"/> (HTTP Basic).
/// </summary>
public sealed class SrsConsole : IAsyncDisposable
{
    private static readonly JsonSerializerSettings CamelCase = new() { ContractResolver = new CamelCasePropertyNamesContractResolver() };

    private readonly RecordingServer _server;
    private readonly SrsConsoleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecordingCatalog _catalog;
    private readonly WaveformCache _waveforms = new();
    private WebApplication? _app;

    /// <summary>Creates the console for <paramref name="server"/>; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SrsConsole(RecordingServer server, SrsConsoleOptions options, TimeProvider time, ILogger<SrsConsole> logger)
    {
        _server = server ?? throw new ArgumentNullException(nameof(server));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _catalog = new RecordingCatalog(server.OutputDirectory);
    }

    /// <summary>The bound endpoint (the real port when 0 was asked for); <see cref="IPAddress.None"/> before the start.</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Binds <see cref="SrsConsoleOptions.EndPoint"/> and starts serving.</summary>
    /// <exception cref="ArgumentException">A non-loopback address without <see cref="SrsConsoleOptions.Credentials"/> (USER:PASSWORD).</exception>
    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bound = _options.EndPoint;
        if (!ConsoleAccess.IsLoopbackOnly(bound) && _options.Credentials?.Contains(':', StringComparison.Ordinal) != true)
            throw new ArgumentException($"the console on {bound} is reachable from the network: give credentials as USER:PASSWORD");
        var builder = OperatorWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMetricsExport(new MetricsExportOptions
        {
            ServiceName = "siprec-srs",
            MeterNames = [RecordingServer.MeterName],
            OtlpEndpoint = _options.OtlpEndpoint,
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(bound);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        app.UseConsoleAccess(bound, Authenticate);
        app.MapMetricsExport();
        app.MapGet("/", Page);
        app.MapGet("/live", () => Results.Content(JsonConvert.SerializeObject(_server.LiveSessions, CamelCase), "application/json"));
        app.MapGet("/live/events", LiveEventsAsync);
        app.MapGet("/recordings/{session}/audio.wav", (string session) =>
            _catalog.Find(session) is { } r && File.Exists(r.WavPath)
                ? Results.File(r.WavPath, "audio/wav", enableRangeProcessing: true)
                : Results.NotFound());
        app.MapGet("/recordings/{session}/sidecar.json", (string session) =>
            _catalog.Find(session) is { } r ? Results.File(r.JsonPath, "application/json") : Results.NotFound());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        EndPoint = new IPEndPoint(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port);
        Log.Listening(_logger, EndPoint.ToString(), _catalog.Folder);
    }

    /// <summary>Stops serving; open event streams end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private IResult Page(HttpRequest request)
    {
        var query = (string?)request.Query["q"];
        var dateText = (string?)request.Query["date"];
        DateOnly? date = DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
        var recordings = _catalog.Search(query, date, _options.PageSize * 2).Where(r => !r.Open).Take(_options.PageSize).ToList();
        return Results.Content(RecordingsPage.Render(_server.LiveSessions, recordings, query, date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), _waveforms),
            "text/html; charset=utf-8");
    }

    // Server-sent events (HTML §9.2): the live sessions every LiveInterval until the client goes or the console stops.
    private async Task LiveEventsAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var timer = new PeriodicTimer(_options.LiveInterval, _time);
        try
        {
            do
            {
                var data = JsonConvert.SerializeObject(_server.LiveSessions, CamelCase);
                await response.WriteAsync($"data: {data}\n\n", cancel.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(cancel.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancel.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The browser closed the page or the console is stopping: the stream simply ends.
        }
    }

    private bool Authenticate(string? authorization)
    {
        if (_options.Credentials is not { } expected || authorization is null ||
            !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromBase64String(authorization[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));
    }
}
