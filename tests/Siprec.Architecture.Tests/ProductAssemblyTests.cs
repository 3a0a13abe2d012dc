using Siprec.Testing;

namespace Siprec.Architecture.Tests;

/// <summary>
/// The layout rules of DESIGN §2 and CONTRACTS "Layers", checked by reflection over the compiled product assemblies:
/// references point down only, no test code ships in a product assembly, no type name exists twice.
/// </summary>
public sealed class ProductAssemblyTests
{
    private static readonly IReadOnlyDictionary<string, LayerRow> Layers =
        LayerTable.Read(Path.Combine(RepoPaths.Root, "docs", "CONTRACTS.md"));

    [Fact]
    public void EveryProject_HasARowInTheLayerTable_AndTheTableOnlyPointsDown()
    {
        var missing = ProductAssemblies.All.Select(p => p.Name).Where(n => !Layers.ContainsKey(n)).ToList();
        Assert.True(missing.Count == 0, $"projects without a row in docs/CONTRACTS.md 'Layers': {string.Join(", ", missing)}");
        var upward = Layers.Values
            .SelectMany(row => row.MayReference.Select(target => (row, target)))
            .Where(x => !Layers.TryGetValue(x.target, out var target) || target.Layer >= x.row.Layer)
            .Select(x => $"{x.row.Project} -> {x.target}")
            .ToList();
        Assert.True(upward.Count == 0, $"the layer table lets these point sideways, up or nowhere: {string.Join(", ", upward)}");
    }

    [Fact]
    public void ProjectReferences_PointOnlyDown_AsTheLayerTableSays()
    {
        var violations = ProductAssemblies.All
            .SelectMany(p => p.ProjectReferences.Where(r => !Allowed(p.Name, r)).Select(r => $"{p.Name}.csproj -> {r}"))
            .ToList();
        Assert.True(violations.Count == 0, $"project references the layer table does not allow: {string.Join(", ", violations)}");
    }

    [Fact]
    public void CompiledAssemblies_ReferenceOnlyWhatTheLayerTableAllows()
    {
        var names = ProductAssemblies.All.Select(p => p.Assembly.GetName().Name).ToHashSet(StringComparer.Ordinal);
        var violations = ProductAssemblies.All
            .SelectMany(p => p.Assembly.GetReferencedAssemblies()
                .Where(r => names.Contains(r.Name!))
                .Select(ProductAssemblies.ProjectOf)
                .Where(r => !Allowed(p.Name, r))
                .Select(r => $"{p.Name} uses {r}"))
            .ToList();
        Assert.True(violations.Count == 0, $"assembly references the layer table does not allow: {string.Join(", ", violations)}");
    }

    [Fact]
    public void NoProductAssembly_HasAPublicTypeInATestingNamespace()
    {
        var found = ProductAssemblies.WithoutTestHost
            .SelectMany(p => p.Assembly.GetExportedTypes()
                .Where(t => t.Namespace is { } ns && (ns.EndsWith(".Testing", StringComparison.Ordinal) || ns.Contains(".Testing.", StringComparison.Ordinal)))
                .Select(t => $"{p.Name}: {t.FullName}"))
            .ToList();
        Assert.True(found.Count == 0, $"public test types in product assemblies: {string.Join(", ", found)}");
    }

    [Fact]
    public void NoTypeName_IsPublicInTwoProductAssemblies()
    {
        var twice = ProductAssemblies.All
            .SelectMany(p => p.Assembly.GetExportedTypes().Select(t => (Name: t.Name, Project: p.Name, t.FullName)))
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .Where(g => g.Select(t => t.Project).Distinct().Count() > 1)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(t => t.FullName))})")
            .ToList();
        Assert.True(twice.Count == 0, $"type names public in two product assemblies: {string.Join("; ", twice)}");
    }

    private static bool Allowed(string project, string reference) =>
        Layers.TryGetValue(project, out var row) && row.MayReference.Contains(reference);
}
