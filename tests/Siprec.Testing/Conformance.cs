using Xunit;
namespace Siprec.Testing;

/// <summary>
/// The shared conformance inputs (<c>../shared/conformance</c> beside the repository, or
/// <c>SIPREC_CONFORMANCE_DIR</c>). They are read in place, never copied. Missing folder: the test is
/// skipped outside CI and fails under <c>CI=true</c>.
/// </summary>
public static class Conformance
{
    /// <summary>The conformance folder, whether or not it exists.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("SIPREC_CONFORMANCE_DIR") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance"));

    /// <summary>A path inside the conformance folder; skips or fails (see type remarks) when the folder is absent.</summary>
    public static string File(params string[] parts)
    {
        SkipIfMissing();
        return Path.Combine([Directory, .. parts]);
    }

    /// <summary>Skips the calling test outside CI, fails it under CI, when the folder is absent.</summary>
    public static void SkipIfMissing()
    {
        if (System.IO.Directory.Exists(Directory)) return;
        var message = $"conformance folder not found at {Directory} (set SIPREC_CONFORMANCE_DIR)";
        if (Peers.IsCi) throw new InvalidOperationException(message + "; under CI=true this is a failure");
        Skip.If(true, message);
    }
}
