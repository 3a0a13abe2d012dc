using System.Runtime.InteropServices;
using Xunit;
namespace Siprec.Testing;

/// <summary>External test peers (sipp, tshark, dnsmasq, rtpengine, libsrtp2): present, or the test says why not.</summary>
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

    /// <summary>
    /// Checks that the shared library <paramref name="soname"/> (e.g. <c>libsrtp2.so.1</c>) loads; skips outside CI, fails
    /// under CI, when it does not. <paramref name="package"/> names the Debian package that provides it.
    /// </summary>
    public static void RequireLibrary(string soname, string package)
    {
        // The handle stays loaded: the test's P/Invokes bind to the same library next.
        if (NativeLibrary.TryLoad(soname, out _)) return;
        var message = $"test peer library '{soname}' is not installed (Debian package {package}; the README's test command installs it)";
        if (IsCi) throw new InvalidOperationException(message + "; under CI=true this is a failure");
        Skip.If(true, message);
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
