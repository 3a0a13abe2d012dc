using System.CommandLine;
using Siprec.Cli.Commands;

namespace Siprec.Cli.Tests.Commands;

/// <summary>Runs <c>siprec node …</c> in-process with captured standard output and error.</summary>
internal static class NodeCommandRunner
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand("siprec") { NodeCommand.Create() };
        var exit = await root.Parse(["node", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error })
            .WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, output.ToString(), error.ToString());
    }
}
