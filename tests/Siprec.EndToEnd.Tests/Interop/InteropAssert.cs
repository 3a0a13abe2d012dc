using Siprec.Gateway;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>Checks on what the gateway reports about a call (its <see cref="CallSummary"/>), shared by the interop tests.</summary>
internal static class InteropAssert
{
    /// <summary>
    /// The flow ran to its end: every node succeeded, and the recording was started, paused, resumed and stopped, each
    /// answered 200 (DESIGN §4.2). A call whose ACK never arrived shows no exchange at all.
    /// </summary>
    public static void FlowRanWithPauseAndResume(CallSummary summary)
    {
        var exchanges = string.Join(", ", summary.InfoExchanges.Select(i => $"{i.Reason} {i.StatusCode}"));
        foreach (var reason in new[] { "startCallRecording", "pauseCallRecording", "resumeCallRecording", "stopCallRecording" })
            Assert.True(summary.InfoExchanges.Any(i => i.Reason == reason && i.StatusCode == 200),
                $"no {reason} answered 200 in the call summary; exchanges [{exchanges}], recorders [{string.Join("; ", summary.RecorderOutcomes)}]");
        Assert.True(summary.Flow is { AllSucceeded: true },
            $"flow did not succeed: {string.Join(", ", summary.Flow?.Nodes.Select(n => n.ToString()) ?? ["(no flow result)"])}");
    }
}
