namespace Siprec.Load;

/// <summary>
/// The CPU time of a process's threads whose name starts with a prefix, from /proc/PID/task/TID (proc(5)): the gateway's
/// receive-engine threads ("rtp-receive-N") do, per caller packet, what rtpengine does per packet (one receive, one send to
/// the recorder), so their CPU per forwarded caller packet is the like-for-like figure beside rtpengine's own.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Summed utime + stime of <paramref name="pid"/>'s threads named <paramref name="namePrefix"/>…; zero when none or gone.</summary>
    public static TimeSpan Of(int pid, string namePrefix)
    {
        var total = TimeSpan.Zero;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(namePrefix, StringComparison.Ordinal)) continue;
                    if (ProcessSample.TryParseCpu(File.ReadAllText(Path.Combine(task, "stat")), out var cpu)) total += cpu;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The thread ended between the listing and the read.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process has gone.
        }
        return total;
    }
}
