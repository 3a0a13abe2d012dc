namespace Siprec.Load;

/// <summary>What the report says about the machine: cores, CPU model and load average (all from /proc).</summary>
internal static class MachineInfo
{
    /// <summary>E.g. <c>2 × AMD EPYC</c>.</summary>
    public static string Cpu()
    {
        var model = ReadOrEmpty("/proc/cpuinfo").Split('\n')
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        return $"{Environment.ProcessorCount} × {model}";
    }

    /// <summary>The 1, 5 and 15 minute load averages, e.g. <c>1.83 / 1.36 / 3.04</c>.</summary>
    public static string LoadAverage()
    {
        var parts = ReadOrEmpty("/proc/loadavg").Split(' ');
        return parts.Length >= 3 ? $"{parts[0]} / {parts[1]} / {parts[2]}" : "unknown";
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
