using System.Reflection;
using System.Xml.Linq;
using Siprec.Testing;

namespace Siprec.Architecture.Tests;

/// <summary>A project under <c>src/</c>: its name, compiled assembly and the projects its file references.</summary>
internal sealed record ProductProject(string Name, Assembly Assembly, IReadOnlyList<string> ProjectReferences);

/// <summary>Every project under <c>src/</c>, loaded from beside this test (the test project references them all).</summary>
internal static class ProductAssemblies
{
    private static readonly Lazy<IReadOnlyList<ProductProject>> Loaded = new(Load);

    public static IReadOnlyList<ProductProject> All => Loaded.Value;

    /// <summary>Product code proper: everything but the node test host package, whose purpose is tests.</summary>
    public static IEnumerable<ProductProject> WithoutTestHost =>
        All.Where(p => !p.Name.EndsWith(".Testing", StringComparison.Ordinal));

    public static string ProjectOf(AssemblyName reference) =>
        All.FirstOrDefault(p => p.Assembly.GetName().Name == reference.Name)?.Name ?? reference.Name!;

    private static IReadOnlyList<ProductProject> Load()
    {
        var projects = new List<ProductProject>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var xml = XDocument.Load(file);
            var name = Path.GetFileNameWithoutExtension(file);
            var assemblyName = xml.Descendants("AssemblyName").FirstOrDefault()?.Value ?? name;
            var references = xml.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
                .ToList();
            projects.Add(new ProductProject(name, Assembly.Load(assemblyName), references));
        }
        Assert.True(projects.Count >= 10, $"only {projects.Count} projects found under src/");
        return projects;
    }
}
