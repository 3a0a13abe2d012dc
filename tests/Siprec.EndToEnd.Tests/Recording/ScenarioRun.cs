using Siprec.Gateway;
using Siprec.Recording;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>The outcome of one <see cref="GatewayHarness"/> run: what the gateway reported for the call and how each sipp peer finished.</summary>
/// <param name="Summary">The gateway's summary of the call (INFO answers, SRS outcomes, recording events).</param>
/// <param name="CallerExitCode">The sipp caller's exit code; null when it had not finished.</param>
/// <param name="CallerDiagnostics">The sipp caller's output, for failure messages.</param>
/// <param name="Srss">One result per SRS, in the order the flow names them.</param>
internal sealed record ScenarioRun(CallSummary Summary, int? CallerExitCode, string CallerDiagnostics, IReadOnlyList<SrsRunResult> Srss)
{
    /// <summary>The first (often only) SRS.</summary>
    public SrsRunResult Srs => Srss[0];

    /// <summary>The one answer the gateway gave to the recording request <paramref name="reason"/> (e.g. <c>startCallRecording</c>).</summary>
    public InfoExchange Info(string reason)
    {
        var matches = Summary.InfoExchanges.Where(i => i.Reason == reason).ToList();
        Assert.True(matches.Count == 1, $"expected one {reason} answer, the gateway reported: {Describe(Summary.InfoExchanges)}");
        return matches[0];
    }

    /// <summary>The recording events about the SRS <paramref name="srsUri"/>, in order.</summary>
    public IReadOnlyList<RecordingEvent> RecorderEvents(string srsUri) =>
        Summary.RecordingEvents.Where(e => e.SrsUri == srsUri).ToList();

    /// <summary>The recording events about the whole recording (no SRS named), in order.</summary>
    public IReadOnlyList<RecordingEvent> RecordingEvents() =>
        Summary.RecordingEvents.Where(e => !e.IsRecorderEvent).ToList();

    /// <summary>Asserts that the caller and every SRS ran their sipp scenario to the end (exit 0).</summary>
    public void AssertPeersSucceeded()
    {
        Assert.True(CallerExitCode == 0, $"sipp caller exit {CallerExitCode?.ToString() ?? "(still running)"}\n{CallerDiagnostics}");
        foreach (var srs in Srss)
            Assert.True(srs.ExitCode == 0, $"sipp SRS {srs.Peer.Scenario} exit {srs.ExitCode?.ToString() ?? "(still running)"}\n{srs.Diagnostics}");
    }

    /// <summary>Everything the gateway reported, one line per item, for failure messages.</summary>
    public string Report() =>
        "INFO answers: " + Describe(Summary.InfoExchanges) + "\nSRS outcomes: " + Describe(Summary.RecorderOutcomes) +
        "\nevents: " + Describe(Summary.RecordingEvents);

    private static string Describe<T>(IEnumerable<T> items) => "[" + string.Join("; ", items) + "]";
}
