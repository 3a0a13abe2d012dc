using System.Globalization;
using Spectre.Console;

namespace Siprec.Cli.Demo;

/// <summary>
/// Prints the demo summary tables: per SRS the outcome, per INFO the answer, per recording the seconds, packets and
/// paused spans, then the files. Laid out for an 80-column terminal: the long WAV paths go on their own lines below
/// the tables (relative to the output folder) instead of into a cell, and only free-text cells wrap.
/// </summary>
internal static class DemoReportPrinter
{
    public static void Print(IAnsiConsole console, DemoReport report)
    {
        var call = report.Call;
        console.MarkupLine($"[bold]Call[/]: {(call.Answered ? "answered" : "not answered")} {call.FinalStatus} in {call.Duration.TotalSeconds:F1} s, " +
                           $"RTP sent {call.RtpPacketsSent} / received {call.RtpPacketsReceived}, {(call.HungUpByRemote ? "gateway" : "caller")} hung up");

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

        var recordings = new Table().Title("Recordings").AddColumns("SRS", "seconds", "packets by label", "lost", "paused spans", "complete");
        var files = new List<string>();
        foreach (var server in report.Servers)
        {
            var name = ShortName(server.SrsUri);
            if (server.Sessions.Count == 0) recordings.AddRow(Markup.Escape(name), "", "", "", "", "[red]none[/]");
            foreach (var session in server.Sessions)
            {
                var packets = string.Join(", ", session.Streams.Select(s => $"{s.Label}: {s.Packets}"));
                var lost = string.Join(", ", session.Streams.Select(s => s.Lost.ToString(CultureInfo.InvariantCulture)));
                var spans = session.PausedSpans.Count == 0
                    ? "none"
                    : string.Join(", ", session.PausedSpans.Select(p => $"{p.StartSeconds:F2}–{(p.EndSeconds is { } e ? e.ToString("F2", CultureInfo.InvariantCulture) : "end")} s"));
                recordings.AddRow(
                    Markup.Escape(name),
                    session.DurationSeconds.ToString("F2", CultureInfo.InvariantCulture),
                    Markup.Escape(packets),
                    Markup.Escape(lost),
                    Markup.Escape(spans),
                    session.Complete ? "[green]yes[/]" : "[red]no[/]");
                files.Add($"  {name}: {Path.GetRelativePath(report.OutputDirectory, session.WavPath)}");
            }
        }
        console.Write(recordings);
        if (files.Count > 0)
        {
            console.MarkupLine($"WAV files (each with a .json sidecar) in {Markup.Escape(report.OutputDirectory)}:");
            foreach (var file in files) console.WriteLine(file);
        }
        console.MarkupLine(report.Succeeded ? "[green]demo succeeded: at least one complete recording[/]" : "[red]demo failed: no complete recording[/]");
    }

    /// <summary>The SRS's user part (<c>srs1</c> of <c>sip:srs1@127.0.0.1:5080</c>); the Recorders table shows the whole URI.</summary>
    private static string ShortName(string srsUri)
    {
        var start = srsUri.IndexOf(':', StringComparison.Ordinal) + 1;
        var at = srsUri.IndexOf('@', start);
        return at > start ? srsUri[start..at] : srsUri;
    }
}
