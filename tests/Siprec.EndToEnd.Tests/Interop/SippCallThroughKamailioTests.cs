using System.Text.RegularExpressions;
using Siprec.EndToEnd.Tests.Peers;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>
/// A sipp caller that behaves like a real UA (<c>samples/sipp/caller-pcmu-routed.xml</c>: its ACK follows the dialog's
/// route set) calls the gateway through the sample Kamailio (<c>samples/kamailio/kamailio.cfg</c>), a strict
/// record-routing proxy. The gateway runs <c>samples/flows/record-call.json</c> (start recording to the embedded SRS,
/// welcome prompt, pause around the card-number prompt, resume, stop, goodbye, hang up). Asserted from what the
/// operator sees: sipp's exit and the 200 it got, Kamailio's log (the ACK and the gateway's BYE routed by their Route
/// header), the gateway's <c>CallSummary</c>, the SRS's WAV and sidecar, and tshark's verdict on the SIP it captured.
/// </summary>
public sealed partial class SippCallThroughKamailioTests : IDisposable
{
    private static readonly TimeSpan CallerLimit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan CaptureStopLimit = TimeSpan.FromSeconds(10);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-kamailio-").FullName;

    [SkippableFact]
    public async Task CallThroughKamailio_OverUdp_IsAnsweredRoutedAndRecordedFaithfully()
    {
        var ok = await RunCallAsync(gatewayOverTcp: false);
        Assert.True(ok.RecordRoutes.Count >= 1, $"the 200 the caller got carries no Record-Route:\n{ok.Answer}");
    }

    [SkippableFact]
    public async Task CallThroughKamailio_OverTcpTowardsTheGateway_CarriesTwoRecordRoutesAndIsRecordedFaithfully()
    {
        var ok = await RunCallAsync(gatewayOverTcp: true);
        Assert.True(ok.RecordRoutes.Count == 2 && ok.RecordRoutes.All(r => r.Contains(";r2=on", StringComparison.Ordinal)),
            $"expected two Record-Route entries with r2=on (UDP caller side, TCP gateway side) in the 200, got [{string.Join(", ", ok.RecordRoutes)}]:\n{ok.Answer}");
        Assert.Contains(ok.RecordRoutes, r => r.Contains("transport=tcp", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(string Answer, IReadOnlyList<string> RecordRoutes)> RunCallAsync(bool gatewayOverTcp)
    {
        Siprec.Testing.Peers.Require("kamailio");
        Siprec.Testing.Peers.Require("sipp");
        Siprec.Testing.Peers.Require("tshark");
        GatewayWithEmbeddedSrs.WriteCallerUlaw(Path.Combine(_work, "caller.ulaw"));

        await using var loop = await GatewayWithEmbeddedSrs.StartSrsAsync(_work);
        await loop.StartGatewayAsync("record-call.json", $"sip:srs@127.0.0.1:{loop.SrsPort}", "interop-sipp", gatewayOverTcp);
        var gatewayUri = $"sip:127.0.0.1:{loop.GatewayPort}" + (gatewayOverTcp ? ";transport=tcp" : "");
        await using var proxy = await Kamailio.StartAsync(_work, gatewayUri);
        using var capture = await LoopbackCapture.StartAsync($"port {proxy.Port} or port {loop.GatewayPort}", stopAfterPackets: 5000,
            TimeSpan.FromSeconds(90), _work);

        using var caller = SippRun.Start("caller-pcmu-routed.xml", FreePorts.Udp(), _work, ["-mi", "127.0.0.1", $"127.0.0.1:{proxy.Port}"]);
        var callerExit = await caller.WaitAsync(CallerLimit);
        var diagnostics = $"{caller.Diagnostics(_work)}\nkamailio:\n{proxy.Summary()}";
        Assert.True(callerExit == 0, $"sipp caller exit {callerExit?.ToString() ?? "(still running)"}\n{diagnostics}");

        var summary = await loop.CallEndedAsync();
        var routed = proxy.LooseRouted(summary.CallId);
        Assert.True(routed.Contains("ACK"), $"Kamailio did not route the caller's ACK by its Route header; routed [{string.Join(", ", routed)}]\n{diagnostics}");
        InteropAssert.FlowRanWithPauseAndResume(summary);
        Assert.True(routed.Contains("BYE"), $"Kamailio did not route the gateway's BYE by its Route header; routed [{string.Join(", ", routed)}]\n{diagnostics}");

        GatewayWithEmbeddedSrs.AssertFaithfulRecordingWithOnePause(await loop.RecordedAsync());

        await capture.StopAsync(CaptureStopLimit);
        var dissection = await SipDissection.ReadAsync(capture.File, proxy.Port, "sip");
        Assert.True(dissection.MalformedPackets == 0, $"{dissection.MalformedPackets} malformed packet(s) on the proxy's legs:\n{dissection.Detail}");
        Assert.True(dissection.ExpertProblems.Count == 0, $"expert warnings/errors: {string.Join("; ", dissection.ExpertProblems)}");
        Assert.Contains("Session Initiation Protocol (INVITE)", dissection.Detail, StringComparison.Ordinal);

        var answer = caller.ReceivedMessages().First(m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && m.Contains("INVITE", StringComparison.Ordinal));
        var recordRoutes = RecordRouteLine().Matches(answer).SelectMany(m => RouteEntry().Matches(m.Groups["value"].Value)).Select(e => e.Value).ToList();
        return (answer, recordRoutes);
    }

    [GeneratedRegex(@"(?mi)^Record-Route:\s*(?<value>.*)$")]
    private static partial Regex RecordRouteLine();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex RouteEntry();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
