using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Testing;
using Xunit.Abstractions;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// Fault 1 of issue 11 with real processes: <c>kill -9</c> of one of two <c>siprec srs</c> recorders in the middle of a
/// call recorded by a real <c>siprec gateway</c>. The other keeps recording; the dead one is reported failed (REST
/// <c>recorders</c> entry, error code, the gateway's log line) within the ping interval + timeout, and the session stays
/// <c>in-progress</c> until it is stopped. Prints the measured detection time.
/// </summary>
public sealed class RecorderCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int PingIntervalSecs = 10;
    private const int PingTimeoutSecs = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-fault-crash-").FullName;

    [SkippableFact]
    public async Task KillingOneOfTwoRecorders_IsReportedFailed_AndTheOtherKeepsRecording()
    {
        await using var rig = new FaultRig(_work);
        var doomed = await rig.StartSrsAsync("srs-doomed");
        var survivor = await rig.StartSrsAsync("srs-survivor");
        await rig.StartGatewayAsync(new JObject
        {
            ["uris"] = new JArray(doomed.Uri, survivor.Uri),
            ["pingIntervalSecs"] = PingIntervalSecs,
        });
        await rig.CallAsync();

        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"), ("Name", "crash-test"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var sid = (string)body["sid"]!;
        await Poll.UntilAsync(() => doomed.Packets("1") > 0 && survivor.Packets("1") > 0, Bound, "both recorders to write caller audio");

        Assert.True(doomed.Process.Signal(PosixSignals.Kill), "kill -9 of the doomed SRS");
        var clock = Stopwatch.StartNew();
        var detectionBound = TimeSpan.FromSeconds(PingIntervalSecs + PingTimeoutSecs + 5); // a hang guard at the promise, plus scheduling slack
        var resource = await rig.WaitForResourceAsync(sid, r => FaultRig.Recorder(r, doomed.Uri)["status"]?.ToString() == "failed", detectionBound,
            "the killed recorder to be reported failed");
        var detected = clock.Elapsed;
        output.WriteLine($"kill -9 of {doomed.Uri} reported failed after {detected.TotalMilliseconds:0} ms (promise: {PingIntervalSecs + PingTimeoutSecs} s)");

        var dead = FaultRig.Recorder(resource, doomed.Uri);
        Assert.Equal("in-progress", (string?)resource["status"]);
        Assert.Equal(JTokenType.Null, resource["error_code"]!.Type);
        Assert.Equal(503, (int?)dead["error_code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)dead["error"]));
        Assert.Equal("active", (string?)FaultRig.Recorder(resource, survivor.Uri)["status"]);
        Assert.Contains(rig.CallSid, rig.Gateway.Output, StringComparison.Ordinal);
        Assert.Contains(doomed.Uri, rig.Gateway.Output, StringComparison.Ordinal);

        // First-hand proof from the survivor itself: its RTCP receiver reports, on the REST resource.
        var withReports = await rig.WaitForResourceAsync(sid,
            r => FaultRig.Recorder(r, survivor.Uri)["media"] is JArray { Count: 2 } media && media.All(m => m["packets_lost"]?.Type == JTokenType.Integer),
            Bound, "the survivor's receiver reports on both streams");
        var survivorMedia = (JArray)FaultRig.Recorder(withReports, survivor.Uri)["media"]!;
        output.WriteLine($"survivor's own reports: {survivorMedia.ToString(Newtonsoft.Json.Formatting.None)}");
        Assert.All(survivorMedia, m => Assert.True((long)m["packets_sent"]! > 0));
        Assert.All(survivorMedia, m => Assert.Equal(0, (int)m["packets_lost"]!)); // loopback: nothing lost

        var atDetection = survivor.Packets("1");
        await Poll.UntilAsync(() => survivor.Packets("1") >= atDetection + 100, Bound, "the surviving recorder to go on writing (2 s of caller audio)");

        var (stopped, stoppedBody) = await rig.PostAsync(sid, ("Status", "stopped"));
        Assert.True(stopped == HttpStatusCode.OK, stoppedBody.ToString());
        Assert.Equal("stopped", (string?)stoppedBody["status"]);
        await Poll.UntilAsync(() => survivor.Sidecars().Any(s => (bool?)s["complete"] == true), Bound, "the surviving recorder's final sidecar");
        output.WriteLine($"surviving recorder: {survivor.Packets("1")} caller packets");
    }

    [SkippableFact]
    public async Task KillingTheOnlyRecorder_MovesTheRecordingToTheStandby_AndReportsTheGap()
    {
        await using var rig = new FaultRig(_work);
        var primary = await rig.StartSrsAsync("srs-primary");
        var standby = await rig.StartSrsAsync("srs-standby");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(primary.Uri), ["failoverUris"] = new JArray(standby.Uri) });
        await rig.CallAsync();
        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var sid = (string)body["sid"]!;
        await Poll.UntilAsync(() => primary.Packets("1") > 0, Bound, "the primary to write caller audio");

        Assert.True(primary.Process.Signal(PosixSignals.Kill), "kill -9 of the primary SRS");
        var clock = Stopwatch.StartNew();
        var resource = await rig.WaitForResourceAsync(sid, r => FaultRig.Recorder(r, standby.Uri)["status"]?.ToString() == "active", Bound,
            "the standby to take over");
        output.WriteLine($"kill -9 of the primary: standby active after {clock.ElapsedMilliseconds} ms, gap_ms {FaultRig.Recorder(resource, standby.Uri)["gap_ms"]}");

        Assert.Equal("in-progress", (string?)resource["status"]);
        Assert.Equal("failed", (string?)FaultRig.Recorder(resource, primary.Uri)["status"]);
        Assert.Equal(primary.Uri, (string?)FaultRig.Recorder(resource, standby.Uri)["replaces"]);
        // The gap counts the audio lost while the death was being detected: at least the 2 s ICMP streak that proved it.
        Assert.True((long?)FaultRig.Recorder(resource, standby.Uri)["gap_ms"] >= 2000, resource.ToString());
        await Poll.UntilAsync(() => standby.Packets("1") >= 100, Bound, "the standby to write 2 s of caller audio");
    }

    [SkippableFact]
    public async Task KillingTheOnlyRecorder_WhenRecordingIsRequired_EndsTheCallWithTheReason()
    {
        await using var rig = new FaultRig(_work);
        var only = await rig.StartSrsAsync("srs-only");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(only.Uri), ["recordingRequired"] = true });
        using var capture = await Peers.LoopbackCapture.StartAsync($"udp port {rig.SipPort}", stopAfterPackets: 500, TimeSpan.FromSeconds(90), _work);
        await rig.CallAsync();
        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        var sid = (string)body["sid"]!;
        await Poll.UntilAsync(() => only.Packets("1") > 0, Bound, "the recorder to write caller audio");

        Assert.True(only.Process.Signal(PosixSignals.Kill), "kill -9 of the only SRS");
        var clock = Stopwatch.StartNew();
        var call = await rig.CallResult.WaitAsync(Bound);
        output.WriteLine($"kill -9 of the only recorder: the gateway hung up after {clock.ElapsedMilliseconds} ms");
        Assert.True(call.HungUpByRemote, "the gateway, not the caller, ended the call");

        Assert.True(await capture.StopAsync(Bound), "tshark did not stop");
        var dissection = await Peers.SipDissection.ReadAsync(capture.File, rig.SipPort, "sip.Method == \"BYE\"");
        Assert.Contains("Reason: SIP ;cause=503 ;text=\"recording required and unavailable\"", dissection.Detail, StringComparison.Ordinal);
        Assert.Equal(0, dissection.MalformedPackets);
        var (_, resource) = await rig.FetchAsync(sid);
        Assert.Equal("stopped", (string?)resource["status"]);
        Assert.Equal(503, (int?)resource["error_code"]);
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
