using System.Diagnostics;

namespace Siprec.Load;

/// <summary>
/// One <c>siprec</c> server the harness started (gateway or SRS): its output goes to a log file, it is ready when a
/// line holds the marker, and it is stopped by its own PID: SIGTERM first (the same orderly shutdown as Ctrl+C), SIGKILL after a grace.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _marker;

    private ServerProcess(string name, Process process, StreamWriter log, string marker)
    {
        Name = name;
        _process = process;
        _log = log;
        _marker = marker;
    }

    /// <summary>"gateway" or "srs".</summary>
    public string Name { get; }

    /// <summary>The process ID (the program itself: <c>dotnet</c> runs the dll in its own process).</summary>
    public int Pid => _process.Id;

    /// <summary>The log file of its standard output and error.</summary>
    public string LogPath { get; private init; } = "";

    /// <summary>Its Prometheus scrape (<c>/metrics</c>) when it serves one; null otherwise.</summary>
    public Uri? MetricsUri { get; private init; }

    /// <summary>
    /// Starts <paramref name="program"/> (a <c>.dll</c> under <c>dotnet</c>) with <paramref name="arguments"/>;
    /// <paramref name="metricsUri"/> is its <c>/metrics</c> address when the arguments make it serve one.
    /// </summary>
    public static ServerProcess Start(string name, string program, IEnumerable<string> arguments, string workDirectory, string readyMarker,
        Uri? metricsUri = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : program,
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) info.ArgumentList.Add(program);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var logPath = Path.Combine(workDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = false };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process, log, readyMarker) { LogPath = logPath, MetricsUri = metricsUri };
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Exited += (_, _) => server._ready.TrySetException(new InvalidOperationException($"{name} exited with code {SafeExitCode(process)} before it was ready; see {logPath}"));
        if (!process.Start())
        {
            log.Dispose();
            throw new InvalidOperationException($"{name}: could not start {info.FileName}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until the server printed its ready line.</summary>
    /// <exception cref="InvalidOperationException">It exited first.</exception>
    /// <exception cref="TimeoutException">It printed nothing of the kind within <paramref name="bound"/>.</exception>
    public async Task WaitReadyAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not print '{_marker}' within {bound.TotalSeconds:F0} s; see {LogPath}");
        }
    }

    /// <summary>CPU time and RSS now; null when it has exited.</summary>
    public ProcessSample? Sample() => _process.HasExited ? null : ProcessSample.Read(Pid);

    /// <summary>Whether it is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Stops it by its PID: SIGTERM, then SIGKILL when it has not exited within 10 s; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = ServerSignals.Terminate(Pid);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: false);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        lock (_log)
        {
            _log.Flush();
        }
        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.WriteLine(line);
        }
        if (line.Contains(_marker, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
