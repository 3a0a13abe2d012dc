using System.Runtime.InteropServices;

namespace Siprec.Load;

/// <summary>Raises the calling thread's scheduling priority (Linux nice is per thread: setpriority(2) on its TID).</summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;
    private const int RaisedNice = -10;

    /// <summary>Sets this thread's nice to -10; without root this fails and the thread keeps its priority.</summary>
    /// <returns>Whether it worked.</returns>
    public static bool TryRaise()
    {
        try
        {
            return SetPriority(PrioProcess, GetTid(), RaisedNice) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
