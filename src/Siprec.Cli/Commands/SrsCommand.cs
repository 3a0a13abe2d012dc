using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Siprec.Cli.Hosting;
using Siprec.Media.Rtp;
using Siprec.Observability.Console;
using Siprec.Recorder;
using Siprec.Sip.Transport;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec srs [--listen udp|tcp|tls:HOST:PORT]… [--cert FILE [--cert-password PASSWORD]] [--out DIR] [--max-sessions N]
/// [--max-sessions-per-source N] [--media-timeout SECONDS] [--rtp-ports LO-HI] [--http HOST:PORT [--http-credentials USER:PASSWORD] [--otlp URL]]</c> (DESIGN §4.6): runs the embedded recording server until
/// Ctrl+C, on every listen address given (UDP, TCP, and TLS for <c>sips:</c>, RFC 3261 §26). With <c>--http</c> it also serves
/// the recordings console and <c>/metrics</c> (issue 17; off loopback only with <c>--http-credentials</c>). Bad options exit with code 2
/// and a message naming the option and the value; an <c>--out</c> that cannot be written exits with code 1 naming it.
/// </summary>
internal static class SrsCommand
{
    private const string DefaultListen = "udp:127.0.0.1:5080";

    public static Command Create() => Create(out _);

    /// <summary>Reads <c>siprec srs</c> arguments into server options without starting anything (what the action does first).</summary>
    /// <returns>The options (the caller disposes <see cref="RecordingServerOptions.TlsCertificate"/>), or null and the message naming the bad option.</returns>
    internal static (RecordingServerOptions? Options, string? Error) ParseOptions(params string[] args)
    {
        var command = Create(out var arguments);
        var parse = new RootCommand("siprec") { command }.Parse(["srs", .. args]);
        if (parse.Errors.Count > 0) return (null, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return TryBuild(parse, arguments, out var options, out var error) ? (options, null) : (null, error);
    }

    private static Command Create(out Arguments arguments)
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "SIP listen address, repeatable: udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT (tls needs --cert)",
            DefaultValueFactory = _ => [DefaultListen],
            AllowMultipleArgumentsPerToken = false,
        };
        var cert = new Option<string?>("--cert") { Description = "TLS server certificate with its private key: a PFX/PKCS#12 file, or one PEM file holding certificate and key" };
        var certPassword = new Option<string?>("--cert-password") { Description = "password of the --cert PFX, or of its encrypted PEM key" };
        var output = new Option<string>("--out") { Description = "folder for the WAV + JSON of each recording session", DefaultValueFactory = _ => "recordings" };
        var verbose = new Option<bool>("--verbose") { Description = "log every SIP and recording event" };
        var defaults = new RecordingServerOptions();
        var maxSessions = new Option<int>("--max-sessions")
        {
            Description = "sessions recorded at once; a further INVITE gets 503 with Retry-After",
            DefaultValueFactory = _ => defaults.MaxConcurrentSessions,
        };
        var maxPerSource = new Option<int?>("--max-sessions-per-source")
        {
            Description = "sessions recorded at once from one source IP address (default: half of --max-sessions); beyond, 503 with Retry-After",
        };
        var mediaTimeout = new Option<double>("--media-timeout")
        {
            Description = "seconds without RTP on every stream (not paused) before the SRS ends a session with BYE; 0 turns it off",
            DefaultValueFactory = _ => defaults.MediaTimeout.TotalSeconds,
        };
        var rtpPorts = new Option<string?>("--rtp-ports") { Description = "UDP ports for the sessions' RTP/RTCP, LO-HI (e.g. 30000-39999; two per recorded stream); when full, INVITEs get 503; default: the system's ephemeral range" };
        var http = new Option<string?>("--http") { Description = "recordings console and Prometheus /metrics listen address (HOST:PORT, loopback unless --http-credentials); none: no HTTP" };
        var httpCredentials = new Option<string?>("--http-credentials") { Description = "USER:PASSWORD (HTTP Basic) the console requires when --http is not a loopback address" };
        var otlp = new Option<string?>("--otlp") { Description = "OTLP collector endpoint for the metrics (http://HOST:4317 gRPC, or .../v1/metrics HTTP); needs --http" };
        var command = new Command("srs", "run the embedded SIPREC recording server (SRS)")
        {
            listen, cert, certPassword, output, maxSessions, maxPerSource, mediaTimeout, verbose, http, httpCredentials, otlp, rtpPorts,
        };
        var args = new Arguments(listen, cert, certPassword, output, maxSessions, maxPerSource, mediaTimeout, rtpPorts);
        arguments = args;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var console = parse.InvocationConfiguration.Output;
            if (!TryBuild(parse, args, out var options, out var buildError))
            {
                await error.WriteLineAsync(buildError);
                return 2;
            }
            using var certificate = options.TlsCertificate;
            if (!TryReadConsole(parse.GetValue(http), parse.GetValue(httpCredentials), parse.GetValue(otlp), out var consoleOptions, out var consoleError))
            {
                await error.WriteLineAsync(consoleError);
                return 2;
            }
            using var loggerFactory = CliLogging.Create(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            await using var server = new RecordingServer(options, TimeProvider.System, loggerFactory);
            server.SessionCompleted += s => console.WriteLine($"recorded {s.SessionId}: {s.WavPath} ({s.DurationSeconds:F2} s)");
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"srs: {ex.Message}");
                return 2;
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"--out {options.OutputDirectory}: {ex.Message}");
                return 1;
            }
            catch (SocketException ex)
            {
                await error.WriteLineAsync($"--listen {string.Join(", ", parse.GetValue(listen) ?? [])}: cannot listen ({ex.SocketErrorCode}: {ex.Message})");
                return 1;
            }
            foreach (var bound in server.ListenEndPoints)
                await console.WriteLineAsync($"SRS listening on {bound} ({bound.ToUri(options.UserName)})");
            await using var recordingsConsole = consoleOptions is null
                ? null
                : new SrsConsole(server, consoleOptions, TimeProvider.System, loggerFactory.CreateLogger<SrsConsole>());
            if (recordingsConsole is not null)
            {
                try
                {
                    await recordingsConsole.StartAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or ArgumentException)
                {
                    await error.WriteLineAsync($"--http {consoleOptions!.EndPoint}: {ex.Message}");
                    return ex is ArgumentException ? 2 : 1;
                }
                await console.WriteLineAsync($"recordings console on http://{recordingsConsole.EndPoint}/ (metrics: /metrics)");
            }
            await console.WriteLineAsync($"writing to {options.OutputDirectory}; Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }

    private static bool TryBuild(ParseResult parse, Arguments a, out RecordingServerOptions options, out string? error)
    {
        options = new RecordingServerOptions();
        var listens = new List<SipListenEndPoint>();
        var texts = parse.GetValue(a.Listen) is { Length: > 0 } given ? given : [DefaultListen];
        foreach (var text in texts)
        {
            if (!ListenAddress.TryParseListener(text, "--listen", out var listen, out error)) return false;
            listens.Add(listen!);
        }
        var tls = listens.FirstOrDefault(l => l.Transport == SipTransportProtocol.Tls);
        if (!ServerCertificateFile.TryRead(parse.GetValue(a.Cert), parse.GetValue(a.CertPassword), tls, "--listen", haveCertificate: false,
                out var certificate, out error))
        {
            return false;
        }

        if (!TryReadLimits(parse, a, out var maxSessions, out var maxPerSource, out var mediaTimeout, out error)) return false;
        RtpPortRange? rtpPorts = null;
        if (parse.GetValue(a.RtpPorts) is { } portsText && !RtpPortRange.TryParse(portsText, out rtpPorts, out var portsError))
        {
            error = $"--rtp-ports {portsError}";
            return false;
        }

        // The first UDP address is the primary one; with none given the SRS has no UDP listener.
        var udp = listens.FirstOrDefault(l => l.Transport == SipTransportProtocol.Udp);
        options = new RecordingServerOptions
        {
            SipEndPoint = udp?.EndPoint,
            AdditionalListenEndPoints = listens.Where(l => !ReferenceEquals(l, udp)).ToList(),
            TlsCertificate = certificate,
            MediaAddress = listens[0].EndPoint.Address,
            OutputDirectory = Path.GetFullPath(parse.GetValue(a.Output)!),
            MaxConcurrentSessions = maxSessions,
            MaxSessionsPerSource = maxPerSource,
            MediaTimeout = mediaTimeout,
            RtpPorts = rtpPorts,
        };
        error = null;
        return true;
    }

    /// <summary>Reads <c>--http</c>, <c>--http-credentials</c> and <c>--otlp</c>; null options when there is no <c>--http</c>.</summary>
    internal static bool TryReadConsole(string? http, string? credentials, string? otlp, out SrsConsoleOptions? options, out string? error)
    {
        options = null;
        error = null;
        if (http is null)
        {
            error = otlp is not null ? "--otlp needs --http (the metrics are exported by the HTTP host)" : null;
            return error is null;
        }
        if (http.Contains("://", StringComparison.Ordinal) || !http.Contains(':', StringComparison.Ordinal) || !IPEndPoint.TryParse(http, out var endPoint))
        {
            error = $"--http '{http}': expected HOST:PORT with an IP address, e.g. 127.0.0.1:8090";
            return false;
        }
        if (credentials is not null && (credentials.IndexOf(':', StringComparison.Ordinal) is <= 0 || credentials.EndsWith(':')))
        {
            error = "--http-credentials: expected USER:PASSWORD";
            return false;
        }
        if (!IPAddress.IsLoopback(endPoint.Address) && credentials is null)
        {
            error = $"--http {http}: a non-loopback console needs --http-credentials USER:PASSWORD";
            return false;
        }
        Uri? otlpUri = null;
        if (otlp is not null && (!Uri.TryCreate(otlp, UriKind.Absolute, out otlpUri) || otlpUri.Scheme is not ("http" or "https")))
        {
            error = $"--otlp '{otlp}': expected an http or https URL, e.g. http://127.0.0.1:4317";
            return false;
        }
        options = new SrsConsoleOptions { EndPoint = endPoint, Credentials = credentials, OtlpEndpoint = otlpUri };
        return true;
    }

    private static bool TryReadLimits(ParseResult parse, Arguments a, out int maxSessions, out int? maxPerSource, out TimeSpan mediaTimeout,
        out string? error)
    {
        maxSessions = parse.GetValue(a.MaxSessions);
        maxPerSource = parse.GetValue(a.MaxPerSource);
        var timeout = parse.GetValue(a.MediaTimeout);
        mediaTimeout = TimeSpan.Zero;
        error = maxSessions < 1 ? $"--max-sessions {maxSessions}: must be at least 1"
            : maxPerSource is < 1 ? $"--max-sessions-per-source {maxPerSource}: must be at least 1"
            : !double.IsFinite(timeout) || timeout < 0 || timeout > 86400 ? $"--media-timeout {timeout}: must be 0 (off) to 86400 seconds"
            : null;
        if (error is not null) return false;
        mediaTimeout = TimeSpan.FromSeconds(timeout);
        return true;
    }

    private sealed record Arguments(Option<string[]> Listen, Option<string?> Cert, Option<string?> CertPassword, Option<string> Output,
        Option<int> MaxSessions, Option<int?> MaxPerSource, Option<double> MediaTimeout, Option<string?> RtpPorts);
}
