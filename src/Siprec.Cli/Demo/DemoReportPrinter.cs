using System.Globalization;
using Spectre.Console;

namespace Siprec.Cli.Demo;

/// <summary>Prints the demo summary tables: per SRS the outcome, per recording the file, seconds, packets and paused spans.</summary>
internal static class DemoReportPrinter
{
    public static void Print(IAnsiConsole console, DemoReport report)
    {
        var call = report.Call;
        console.MarkupLine($"[bold]Call[/]: answered={call.Answered} status={call.FinalStatus} duration={call.Duration.TotalSeconds:F1} s " +
                           $"rtp sent={call.RtpPacketsSent} received={call.RtpPacketsReceived} hung up by gateway={call.HungUpByRemote}");

        var recorders = new Table().Title("Recorders (SRS)").AddColumns("SRS", "outcome", "detail");
        foreach (var uri in report.SrsUris)
        {
            var outcome = report.Gateway?.RecorderOutcomes.LastOrDefault(o => o.SrsUri == uri);
            recorders.AddRow(
                Markup.Escape(uri),
                outcome is null ? "[yellow]unknown[/]" : Markup.Escape(outcome.Kind.ToString()),
                Markup.Escape(outcome?.Detail ?? ""));
        }
        console.Write(recorders);

        if (report.Gateway is { } gateway)
        {
            var infos = new Table().Title("Recording requests (INFO)").AddColumns("X-Reason", "answer", "warning");
            foreach (var info in gateway.InfoExchanges)
                infos.AddRow(Markup.Escape(info.Reason), info.StatusCode.ToString(CultureInfo.InvariantCulture), Markup.Escape(info.Warning ?? ""));
            console.Write(infos);
        }

        var recordings = new Table().Title("Recordings").AddColumns("SRS", "file", "seconds", "packets", "paused spans", "complete");
        foreach (var server in report.Servers)
        {
            if (server.Sessions.Count == 0) recordings.AddRow(Markup.Escape(server.SrsUri), "[red]none[/]", "", "", "", "no");
            foreach (var session in server.Sessions)
            {
                var packets = string.Join(" / ", session.Streams.Select(s => $"label {s.Label}: {s.Packets} (lost {s.Lost})"));
                var spans = session.PausedSpans.Count == 0
                    ? "none"
                    : string.Join(", ", session.PausedSpans.Select(p => $"{p.StartSeconds:F2}–{(p.EndSeconds is { } e ? e.ToString("F2", CultureInfo.InvariantCulture) : "end")} s"));
                recordings.AddRow(
                    Markup.Escape(server.SrsUri),
                    Markup.Escape(Path.GetRelativePath(report.OutputDirectory, session.WavPath)),
                    session.DurationSeconds.ToString("F2", CultureInfo.InvariantCulture),
                    Markup.Escape(packets),
                    Markup.Escape(spans),
                    session.Complete ? "[green]yes[/]" : "[red]no[/]");
            }
        }
        console.Write(recordings);
        console.MarkupLine(report.Succeeded ? "[green]demo succeeded: at least one complete recording[/]" : "[red]demo failed: no complete recording[/]");
    }
}
