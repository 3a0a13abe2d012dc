using System.Globalization;

namespace Siprec.Load;

/// <summary>A process's CPU time (user + system) and resident set at one moment, from Linux's /proc (proc(5)).</summary>
/// <param name="Cpu">utime + stime of /proc/PID/stat.</param>
/// <param name="RssBytes">VmRSS of /proc/PID/status.</param>
/// <param name="At">When it was read (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</param>
internal readonly record struct ProcessSample(TimeSpan Cpu, long RssBytes, long At)
{
    // proc(5): utime and stime are in clock ticks of sysconf(_SC_CLK_TCK), which is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Reads process <paramref name="pid"/>; null when it has gone.</summary>
    public static ProcessSample? Read(int pid)
    {
        try
        {
            var at = System.Diagnostics.Stopwatch.GetTimestamp();
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var status = File.ReadAllText($"/proc/{pid}/status");
            return TryParseCpu(stat, out var cpu) ? new ProcessSample(cpu, ParseRss(status), at) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// utime + stime from a /proc/PID/stat line. The command name (field 2) is in parentheses and may hold spaces or
    /// parentheses itself, so the fields are counted from the last ')'.
    /// </summary>
    public static bool TryParseCpu(string stat, out TimeSpan cpu)
    {
        cpu = default;
        var close = stat.LastIndexOf(')');
        if (close < 0) return false;
        // After ")": field 3 (state) is index 0, so utime (field 14) is index 11 and stime (field 15) index 12.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return false;
        }
        cpu = TimeSpan.FromSeconds((user + system) / TicksPerSecond);
        return true;
    }

    /// <summary>VmRSS in bytes from /proc/PID/status (given in kB); 0 when absent (a zombie has none).</summary>
    public static long ParseRss(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var parts = line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
        }
        return 0;
    }

    /// <summary>This process and <paramref name="other"/> as one (CPU and resident set summed, this one's time): the gateway with its rtpengine.</summary>
    public ProcessSample Plus(ProcessSample other) => new(Cpu + other.Cpu, RssBytes + other.RssBytes, At);

    /// <summary>CPU used between <paramref name="earlier"/> and this sample as a percentage of one core.</summary>
    public double CorePercentSince(ProcessSample earlier)
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(earlier.At, At);
        return wall <= TimeSpan.Zero ? 0 : (Cpu - earlier.Cpu) / wall * 100;
    }
}
