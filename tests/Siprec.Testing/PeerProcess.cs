using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Siprec.Testing;

/// <summary>
/// An external program started by a test. Output is collected; disposal kills it by its own PID
/// (and its process tree) if it is still running, so nothing outlives the test.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The operating-system process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Standard output so far.</summary>
    public string StandardOutput { get { lock (_stdout) return _stdout.ToString(); } }

    /// <summary>Standard error so far.</summary>
    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>True once the program has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code (only after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static PeerProcess Start(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (peer._stdout) peer._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (peer._stderr) peer._stderr.AppendLine(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {program}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Waits for exit up to <paramref name="timeout"/>; returns false if it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends SIGINT to the program by its PID (tshark then flushes its capture file and exits, kamailio shuts down
    /// cleanly) and waits up to <paramref name="timeout"/>; false when it still runs (disposal then kills it).
    /// </summary>
    public async Task<bool> InterruptAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return true;
        Signal(PosixSignals.Interrupt);
        return await WaitForExitAsync(timeout);
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (a <see cref="PosixSignals"/> number) to the program by its own PID, e.g. SIGKILL to
    /// simulate a crash or SIGSTOP/SIGCONT to stall and resume it; false when it has exited or the signal was refused.
    /// </summary>
    public bool Signal(int signal)
    {
        try
        {
            return !_process.HasExited && kill(_process.Id, signal) == 0;
        }
        catch (InvalidOperationException)
        {
            return false; // already disposed: nothing left to signal
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Kills the program by PID if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
