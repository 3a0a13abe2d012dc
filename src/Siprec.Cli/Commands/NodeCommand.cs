using System.CommandLine;

namespace Siprec.Cli.Commands;

/// <summary><c>siprec node run|manifest</c>: the Call Recording node for designers (DESIGN §4.6).</summary>
internal static class NodeCommand
{
    public static Command Create() => new("node", "the Call Recording node for designers: dry-run it, generate its extension manifest")
    {
        NodeRunCommand.Create(),
        NodeManifestCommand.Create(),
    };
}
