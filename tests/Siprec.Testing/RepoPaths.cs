namespace Siprec.Testing;

/// <summary>Locates the repository from a test binary (the folder holding <c>Siprec.FlowNode.sln</c>).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The <c>samples/</c> folder.</summary>
    public static string Samples => Path.Combine(Root, "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Siprec.FlowNode.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Siprec.FlowNode.sln not found above {AppContext.BaseDirectory}");
    }
}
