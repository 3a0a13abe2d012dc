using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

public sealed class NodeManifestCommandTests
{
    private static string CheckedIn => File.ReadAllText(Path.Combine(RepoPaths.Root, "extension-manifest", "manifest.json")).ReplaceLineEndings("\n");

    [Fact]
    public async Task Manifest_WritesTheCheckedInManifest_IntoTheOutFolder()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}");
        try
        {
            var (exit, output, _) = await NodeCommandRunner.RunAsync("manifest", "--out", directory);

            Assert.Equal(0, exit);
            var path = Path.Combine(directory, "manifest.json");
            Assert.Contains(path, output, StringComparison.Ordinal);
            Assert.Equal(CheckedIn, File.ReadAllText(path));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Manifest_PrintsTheManifest_WithoutOut()
    {
        var (exit, output, _) = await NodeCommandRunner.RunAsync("manifest");

        Assert.Equal(0, exit);
        Assert.Equal(CheckedIn, output);
    }
}
