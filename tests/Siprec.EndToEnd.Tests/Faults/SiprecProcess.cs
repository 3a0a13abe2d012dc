using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// A real <c>siprec</c> command (<c>gateway</c> or <c>srs</c>) run from the test's output folder as its own process, so a
/// fault test can kill, stall or resume it by its PID the way an operator's host would (SIGKILL, SIGSTOP, SIGCONT).
/// </summary>
internal sealed class SiprecProcess : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly PeerProcess _process;

    private SiprecProcess(string name, PeerProcess process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The name the test gave it (in messages).</summary>
    public string Name { get; }

    /// <summary>The operating-system process id.</summary>
    public int Pid => _process.Pid;

    /// <summary>True once the process has exited (or was killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code (only after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for it to exit up to <paramref name="timeout"/>; false when it still runs.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Everything it printed so far: standard output, then standard error.</summary>
    public string Output => _process.StandardOutput + _process.StandardError;

    /// <summary>Starts <c>siprec</c> with <paramref name="arguments"/> and waits (bounded) until its output contains <paramref name="ready"/>.</summary>
    /// <exception cref="InvalidOperationException">It exited before it was ready; the message has its output.</exception>
    /// <exception cref="TimeoutException">It did not print <paramref name="ready"/> within 60 s.</exception>
    public static async Task<SiprecProcess> StartAsync(string name, IReadOnlyList<string> arguments, string ready, string workingDirectory)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "siprec");
        var process = new SiprecProcess(name, PeerProcess.Start(program, arguments, workingDirectory));
        try
        {
            await Poll.UntilAsync(() => process.Output.Contains(ready, StringComparison.Ordinal) || process.HasExited, StartLimit, $"siprec {name} to print '{ready}'");
            if (process.HasExited) throw new InvalidOperationException($"siprec {name} exited before it was ready:\n{process.Output}");
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends a <see cref="PosixSignals"/> signal by PID; false once it has exited.</summary>
    public bool Signal(int signal) => _process.Signal(signal);

    /// <summary>Stops it the way Ctrl+C does and waits up to <paramref name="timeout"/>; false when it still runs.</summary>
    public Task<bool> StopAsync(TimeSpan timeout) => _process.InterruptAsync(timeout);

    /// <summary>Kills it by PID if it still runs.</summary>
    public void Dispose()
    {
        _process.Signal(PosixSignals.Continue); // a stopped process cannot die of SIGKILL until it runs again on some kernels
        _process.Dispose();
    }
}
