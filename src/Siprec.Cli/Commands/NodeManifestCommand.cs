using System.CommandLine;
using Siprec.FlowNode.Descriptors;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec node manifest [--out DIR]</c>: writes the extension manifest generated from the C# descriptors to
/// <c>DIR/manifest.json</c>, or to standard output without <c>--out</c>.
/// </summary>
internal static class NodeManifestCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "folder to write manifest.json into (e.g. extension-manifest); standard output when absent" };
        var command = new Command("manifest", "generate the extension manifest (node descriptors + package metadata) as JSON") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = DescriptorJson.Serialize(ExtensionManifest.Create());
            var directory = parse.GetValue(output);
            if (directory is null)
            {
                await parse.InvocationConfiguration.Output.WriteAsync(json);
                return 0;
            }
            var path = Path.GetFullPath(Path.Combine(directory, ExtensionManifest.FileName));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, json, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {path}");
            return 0;
        });
        return command;
    }
}
