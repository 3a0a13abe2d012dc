using System.Runtime.InteropServices;

namespace Siprec.Load;

/// <summary>kill(2) by PID, for the graceful stop .NET has no API for (Process.Kill sends SIGKILL).</summary>
internal static partial class ServerSignals
{
    private const int SigInt = 2;

    /// <summary>Sends SIGINT, which a .NET program takes as Ctrl+C and answers with its own orderly shutdown.</summary>
    /// <returns>Whether the signal was sent (false when the process has gone).</returns>
    public static bool Interrupt(int pid) => Kill(pid, SigInt) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
