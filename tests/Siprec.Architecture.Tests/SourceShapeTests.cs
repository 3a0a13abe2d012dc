using System.Text.RegularExpressions;
using Siprec.Testing;

namespace Siprec.Architecture.Tests;

/// <summary>
/// The code-shape rules of CONVENTIONS.md that a file listing can check: a class is counted with all its <c>partial</c>
/// files ("count the class, not the file"), its fields live in one of them, and a folder stays browsable.
/// </summary>
public sealed partial class SourceShapeTests
{
    /// <summary>"Under ~400 lines" with the doc comments that every public member carries; the tilde is the margin.</summary>
    private const int MaxClassLines = 450;

    /// <summary>"Folders stay under ~25 files"; the tilde is the margin.</summary>
    private const int MaxFolderFiles = 30;

    [Fact]
    public void EveryClass_CountedOverAllItsPartialFiles_IsUnderTheLimit()
    {
        var over = SourceTypes()
            .Select(t => (t.Key, Lines: t.Sum(f => File.ReadLines(f).Count())))
            .Where(t => t.Lines > MaxClassLines)
            .Select(t => $"{t.Key}: {t.Lines} lines")
            .ToList();
        Assert.True(over.Count == 0, $"classes over {MaxClassLines} lines (split by concern):\n" + string.Join("\n", over));
    }

    [Fact]
    public void APartialClass_KeepsItsFieldsInOneFile()
    {
        var split = SourceTypes()
            .Where(t => t.Count() > 1)
            .Select(t => (t.Key, Files: t.Where(f => File.ReadLines(f).Any(l => FieldDeclaration().IsMatch(l))).Select(Path.GetFileName).ToList()))
            .Where(t => t.Files.Count > 1)
            .Select(t => $"{t.Key}: fields in {string.Join(", ", t.Files)}")
            .ToList();
        Assert.True(split.Count == 0, "partial classes with fields in more than one file:\n" + string.Join("\n", split));
    }

    [Fact]
    public void EverySourceFolder_HoldsAtMostTheLimitOfFiles()
    {
        var crowded = SourceFiles()
            .GroupBy(Path.GetDirectoryName)
            .Where(g => g.Count() > MaxFolderFiles)
            .Select(g => $"{Path.GetRelativePath(RepoPaths.Root, g.Key!)}: {g.Count()} files")
            .ToList();
        Assert.True(crowded.Count == 0, $"folders over {MaxFolderFiles} files (split by concept):\n" + string.Join("\n", crowded));
    }

    /// <summary>
    /// One group per class: files are named after their one top-level type, and a partial file adds its concern after a
    /// dot (<c>RecordingDialog.Invite.cs</c>), so folder plus the name up to the first dot is the class.
    /// </summary>
    private static IEnumerable<IGrouping<string, string>> SourceTypes()
    {
        var groups = SourceFiles()
            .GroupBy(f => Path.Combine(Path.GetRelativePath(RepoPaths.Root, Path.GetDirectoryName(f)!), Path.GetFileName(f).Split('.')[0]))
            .ToList();
        Assert.True(groups.Count >= 200, $"only {groups.Count} classes found under src/");
        return groups;
    }

    private static IEnumerable<string> SourceFiles()
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                        && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal));
    }

    /// <summary>An instance or static field named <c>_camelCase</c> as CONVENTIONS.md names fields.</summary>
    [GeneratedRegex(@"^\s+(private|internal|protected)\s+(static\s+)?(readonly\s+)?(volatile\s+)?[\w<>\[\]?,. ()]+\s_\w+\s*(=|;)")]
    private static partial Regex FieldDeclaration();
}
