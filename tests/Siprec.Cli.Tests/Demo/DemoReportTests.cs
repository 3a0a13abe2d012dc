using Siprec.Cli.Demo;
using Siprec.Gateway;
using Siprec.Cli.Demo.Caller;
using Siprec.Recorder;
using Siprec.Recording;
using Spectre.Console;

namespace Siprec.Cli.Tests.Demo;

public sealed class DemoReportTests
{
    private static readonly DemoCallResult Call = new(true, 200, TimeSpan.FromSeconds(14), 700, 700, true);

    [Fact]
    public void Succeeded_IsTrue_OnlyWhenSomeSrsHoldsACompleteRecording()
    {
        Assert.True(Report(Session(complete: true), Session(complete: false)).Succeeded);
        Assert.False(Report(Session(complete: false)).Succeeded);
        Assert.False(Report().Succeeded);
    }

    [Fact]
    public void Printer_ShowsEachSrsOutcome_AndEachRecordingWithPacketsAndPausedSpans()
    {
        var gateway = new CallSummary("CA1", "call-1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(14), null,
            [new SrsOutcome("sip:srs1@127.0.0.1:5080", SrsOutcomeKind.Accepted, 200, "200 OK"),
             new SrsOutcome("sip:nobody@127.0.0.1:5099", SrsOutcomeKind.Cancelled, null, "stopped before the SRS answered")],
            [], [new InfoExchange("startCallRecording", 200, null)]);
        var report = Report(Session(complete: true)) with
        {
            Gateway = gateway,
            SrsUris = ["sip:srs1@127.0.0.1:5080", "sip:nobody@127.0.0.1:5099"],
        };
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 80;

        DemoReportPrinter.Print(console, report);

        var output = text.ToString();
        Assert.Contains("sip:nobody@127.0.0.1:5099", output, StringComparison.Ordinal);
        Assert.Contains("stopped before the SRS answered", output, StringComparison.Ordinal);
        Assert.Contains("Accepted", output, StringComparison.Ordinal);
        Assert.Contains("startCallRecording", output, StringComparison.Ordinal);
        Assert.Contains("srs1: " + Path.Combine("srs1", "s1.wav"), output, StringComparison.Ordinal);
        Assert.Contains("1: 350, 2: 351", output, StringComparison.Ordinal);
        Assert.Contains("5.30–9.30 s", output, StringComparison.Ordinal);
        Assert.Contains("demo succeeded", output, StringComparison.Ordinal);
        // What a terminal shows: without the ANSI style sequences (bold stays on even without colours).
        var visible = System.Text.RegularExpressions.Regex.Replace(output, "\u001b\\[[0-9;]*m", "");
        Assert.All(visible.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"wider than 80 columns: '{line}'"));
    }

    private static DemoReport Report(params RecordedSessionSummary[] sessions) =>
        new("/out", Call, null, ["sip:srs1@127.0.0.1:5080"], [new DemoSrsReport("sip:srs1@127.0.0.1:5080", sessions)]);

    private static RecordedSessionSummary Session(bool complete) =>
        new("s1", "/out/srs1/s1.wav", "/out/srs1/s1.json", 11.3,
            [new RecordedStreamSummary("1", 0, 350, 0), new RecordedStreamSummary("2", 1, 351, 0)],
            [new PausedSpan(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(4), 5.3, 9.3)],
            "rec-1", complete);
}
