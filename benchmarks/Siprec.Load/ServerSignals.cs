using System.Runtime.InteropServices;

namespace Siprec.Load;

/// <summary>kill(2) by PID, for the graceful stop .NET has no API for (Process.Kill sends SIGKILL).</summary>
internal static partial class ServerSignals
{
    private const int SigTerm = 15;

    /// <summary>
    /// Sends SIGTERM, which <c>siprec</c> (System.CommandLine) and this harness answer with their orderly shutdown, like Ctrl+C.
    /// Not SIGINT: a shell starts background jobs with SIGINT ignored, and the ignored disposition survives exec.
    /// </summary>
    /// <returns>Whether the signal was sent (false when the process has gone).</returns>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
