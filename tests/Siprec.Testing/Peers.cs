using Xunit;
namespace Siprec.Testing;

/// <summary>External test peers (sipp, tshark, dnsmasq, rtpengine): present, or the test says why not.</summary>
public static class Peers
{
    /// <summary>True under CI (<c>CI=true</c>), where a missing peer is a failure, never a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Full path of <paramref name="program"/> on PATH; skips outside CI, fails under CI, when absent.</summary>
    public static string Require(string program)
    {
        var found = Find(program);
        if (found is not null) return found;
        var message = $"test peer '{program}' is not installed (the README's test command installs it)";
        if (IsCi) throw new InvalidOperationException(message + "; under CI=true this is a failure");
        Skip.If(true, message);
        return program;
    }

    /// <summary>Full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (System.IO.File.Exists(candidate)) return candidate;
        }
        foreach (var dir in new[] { "/usr/sbin", "/sbin", "/usr/bin" })
        {
            var candidate = Path.Combine(dir, program);
            if (System.IO.File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
