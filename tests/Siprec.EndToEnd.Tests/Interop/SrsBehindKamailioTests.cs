using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Peers;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>
/// The SRC behind a record-routing proxy on the SRS path: the flow's SRS URI is <c>sip:srs@&lt;kamailio&gt;</c>, and the
/// sample Kamailio relays initial requests for user <c>srs</c> to the embedded SRS. A sipp caller calls the gateway
/// directly and the gateway runs <c>samples/flows/record-call.json</c>. The SRS's 200 must carry the proxy's
/// Record-Route (seen by tshark on the proxy–SRS leg), and the recording dialog's ACK, both re-INVITEs (pause and
/// resume) and BYE must come back through the proxy (Kamailio's log), with a faithful recording at the end.
/// </summary>
public sealed class SrsBehindKamailioTests : IDisposable
{
    private static readonly TimeSpan CallerLimit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan CaptureStopLimit = TimeSpan.FromSeconds(10);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-kamailio-srs-").FullName;

    [SkippableFact]
    public async Task RecordingDialogThroughKamailio_RoutesAckReInvitesAndByeViaTheProxy_AndRecordsFaithfully()
    {
        Siprec.Testing.Peers.Require("kamailio");
        Siprec.Testing.Peers.Require("sipp");
        Siprec.Testing.Peers.Require("tshark");
        GatewayWithEmbeddedSrs.WriteCallerUlaw(Path.Combine(_work, "caller.ulaw"));

        await using var loop = await GatewayWithEmbeddedSrs.StartSrsAsync(_work);
        var srsNextHop = $"sip:127.0.0.1:{loop.SrsPort}";
        // Calls do not pass this proxy here; its gateway destination is a discard port nobody listens on.
        await using var proxy = await Kamailio.StartAsync(_work, gateway: "sip:127.0.0.1:9", srs: srsNextHop);
        await loop.StartGatewayAsync("record-call.json", $"sip:srs@127.0.0.1:{proxy.Port}", "interop-srs-proxy", tcp: false);
        using var capture = await LoopbackCapture.StartAsync($"port {proxy.Port} or port {loop.SrsPort}", stopAfterPackets: 5000,
            TimeSpan.FromSeconds(90), _work);

        using var caller = SippRun.Start("caller-pcmu.xml", FreePorts.Udp(), _work, ["-mi", "127.0.0.1", $"127.0.0.1:{loop.GatewayPort}"]);
        var callerExit = await caller.WaitAsync(CallerLimit);
        Assert.True(callerExit == 0, $"sipp caller exit {callerExit?.ToString() ?? "(still running)"}\n{caller.Diagnostics(_work)}\nkamailio:\n{proxy.Summary()}");
        var summary = await loop.CallEndedAsync();
        InteropAssert.FlowRanWithPauseAndResume(summary);
        var session = await loop.RecordedAsync();

        var recordingCallId = Assert.Single(proxy.InitialCallIds("INVITE", srsNextHop));
        var routed = proxy.LooseRouted(recordingCallId);
        var what = $"in-dialog requests Kamailio routed by Route for the recording dialog: [{string.Join(", ", routed)}]\nkamailio:\n{proxy.Summary()}";
        Assert.True(routed.Contains("ACK"), $"the SRC's ACK did not come through the proxy; {what}");
        Assert.True(routed.Count(m => m == "INVITE") >= 2, $"the pause and resume re-INVITEs did not both come through the proxy; {what}");
        Assert.True(routed.Contains("BYE"), $"the SRC's BYE did not come through the proxy; {what}");

        GatewayWithEmbeddedSrs.AssertFaithfulRecordingWithOnePause(session);
        var sidecar = JObject.Parse(File.ReadAllText(session.JsonPath));
        Assert.Contains($":{proxy.Port}", sidecar.ToString(), StringComparison.Ordinal);

        await capture.StopAsync(CaptureStopLimit);
        var answer = await SipDissection.ReadAsync(capture.File, proxy.Port,
            $"sip.Status-Code == 200 && sip.CSeq.method == \"INVITE\" && udp.srcport == {loop.SrsPort}");
        Assert.True(answer.MalformedPackets == 0, $"{answer.MalformedPackets} malformed packet(s) on the proxy's legs");
        Assert.True(answer.ExpertProblems.Count == 0, $"expert warnings/errors: {string.Join("; ", answer.ExpertProblems)}");
        Assert.True(answer.Detail.Contains("Record-Route:", StringComparison.Ordinal),
            $"the SRS's 200 to the SIPREC INVITE carries no Record-Route:\n{(answer.Detail.Length == 0 ? "(no such 200 captured)" : answer.Detail)}");
    }

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
