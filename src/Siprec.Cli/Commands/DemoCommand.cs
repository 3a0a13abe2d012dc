using System.CommandLine;
using Microsoft.Extensions.Logging;
using Siprec.Cli.Demo;
using Siprec.Cli.Hosting;
using Spectre.Console;

namespace Siprec.Cli.Commands;

/// <summary><c>siprec demo [--out DIR]</c>: the whole loop in one process; exit 0 when at least one recording is complete.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "folder for the recordings (srs1/, srs2/)", DefaultValueFactory = _ => "demo-out" };
        var flow = new Option<string>("--flow") { Description = "flow JSON to run on the call", DefaultValueFactory = _ => SamplePaths.RecordCallFlow };
        var verbose = new Option<bool>("--verbose") { Description = "log SIP and recording events to standard error (default: warnings and above to OUT/demo.log)" };
        var command = new Command("demo", "caller → gateway → flow with the Call Recording node → SIPREC to two embedded SRSs → WAV + JSON")
        {
            output, flow, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new DemoSettings(
                Path.GetFullPath(parse.GetValue(output)!),
                Path.GetFullPath(parse.GetValue(flow)!),
                SamplePaths.Audio,
                TimeSpan.FromSeconds(90));
            if (!File.Exists(settings.FlowPath))
            {
                await Console.Error.WriteLineAsync($"--flow '{settings.FlowPath}': file not found");
                return 2;
            }
            // The report is the demo's output; its log would land between the tables, so it goes to a file unless asked for.
            var logPath = Path.Combine(settings.OutputDirectory, "demo.log");
            using var loggerFactory = parse.GetValue(verbose)
                ? CliLogging.Create(LogLevel.Debug)
                : CliLogging.CreateForFile(LogLevel.Information, logPath);
            AnsiConsole.MarkupLine($"[bold]siprec demo[/]: recordings go to {Markup.Escape(settings.OutputDirectory)}");
            if (!parse.GetValue(verbose)) AnsiConsole.MarkupLine($"log: {Markup.Escape(logPath)} (--verbose: to standard error)");
            var report = await new DemoRunner(settings, loggerFactory).RunAsync(cancellationToken);
            DemoReportPrinter.Print(AnsiConsole.Console, report);
            return report.Succeeded ? 0 : 1;
        });
        return command;
    }
}
