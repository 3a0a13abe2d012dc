using System.Text.RegularExpressions;

namespace Siprec.Architecture.Tests;

/// <summary>One row of the layer table in <c>docs/CONTRACTS.md</c>: a project, its layer and what it may reference.</summary>
internal sealed record LayerRow(string Project, int Layer, IReadOnlySet<string> MayReference);

/// <summary>Reads the "Layers" table of <c>docs/CONTRACTS.md</c>, the one statement of which assembly may use which.</summary>
internal static partial class LayerTable
{
    public static IReadOnlyDictionary<string, LayerRow> Read(string contractsPath)
    {
        var lines = File.ReadAllLines(contractsPath);
        var start = Array.FindIndex(lines, l => l.StartsWith("## Layers", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{contractsPath} has no '## Layers' section");
        var rows = new Dictionary<string, LayerRow>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 3 || !int.TryParse(cells[1], out var layer)) continue; // header and separator rows
            var project = Names().Matches(cells[0])[0].Groups[1].Value;
            var mayReference = Names().Matches(cells[2]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            rows.Add(project, new LayerRow(project, layer, mayReference));
        }
        Assert.NotEmpty(rows);
        return rows;
    }

    [GeneratedRegex("`([A-Za-z.]+)`")]
    private static partial Regex Names();
}
