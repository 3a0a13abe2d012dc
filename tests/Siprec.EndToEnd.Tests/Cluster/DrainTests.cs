using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Faults;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Cluster;

/// <summary>
/// Drain and health of one real <c>siprec gateway</c> process (issue 15), the hostile cases: a second SIGTERM during a drain
/// ends at once with the recording stopped cleanly (the SRS's sidecar is final); <c>POST /admin/drain</c> turns OPTIONS
/// away with 503 and the process exits 0 once no call is left; a registry that cannot be reached makes <c>/readyz</c> say so.
/// </summary>
public sealed class DrainTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-drain-").FullName;

    [SkippableFact]
    public async Task SecondSigterm_DuringADrain_StopsAtOnce_WithTheRecordingStoppedAndItsSidecarFinal()
    {
        await using var rig = new FaultRig(_work);
        var srs = await rig.StartSrsAsync("srs");
        string http = "";
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) }, configure: c => http = (string)c["http"]!);
        await rig.CallAsync();
        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        await Poll.UntilAsync(() => srs.Packets("1") > 0, Bound, "the SRS to write caller audio");

        Assert.True(rig.Gateway.Signal(PosixSignals.Terminate), "first SIGTERM");
        using var client = new HttpClient { BaseAddress = new Uri("http://" + http), Timeout = Bound };
        await Poll.UntilAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, Bound, "/readyz to answer 503 while draining");
        Assert.False(rig.Gateway.HasExited, "the gateway exited on the first SIGTERM although it held a call");
        Assert.Equal("503", await OptionsStatusAsync(rig.SipPort));
        var refusal = await AnswerAsync("INVITE", rig.SipPort);
        Assert.StartsWith("SIP/2.0 503 ", refusal, StringComparison.Ordinal);
        Assert.Contains("\r\nRetry-After: 30\r\n", refusal, StringComparison.Ordinal);

        Assert.True(rig.Gateway.Signal(PosixSignals.Terminate), "second SIGTERM");
        Assert.True(await rig.Gateway.WaitForExitAsync(Bound), $"the gateway did not stop on the second SIGTERM:\n{rig.Gateway.Output}");
        Assert.Equal(0, rig.Gateway.ExitCode);
        var result = await rig.CallResult.WaitAsync(Bound);
        Assert.True(result.HungUpByRemote, "the caller was not sent BYE");
        await FinalSidecarAsync(srs);
        Assert.Contains("stopping now", rig.Gateway.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DrainBound_Passing_HangsUpTheCall_StopsItsRecordingCleanly_AndExitsZero()
    {
        await using var rig = new FaultRig(_work);
        var srs = await rig.StartSrsAsync("srs");
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) }, configure: c => c["cluster"] = new JObject { ["drainTimeoutSecs"] = 2 });
        await rig.CallAsync();
        var (created, body) = await rig.PostAsync(null, ("ConnectorName", "rec"));
        Assert.True(created == HttpStatusCode.Created, body.ToString());
        await Poll.UntilAsync(() => srs.Packets("1") > 0, Bound, "the SRS to write caller audio");

        Assert.True(rig.Gateway.Signal(PosixSignals.Terminate), "SIGTERM");
        Assert.True(await rig.Gateway.WaitForExitAsync(Bound), $"the gateway did not stop when its drain bound passed:\n{rig.Gateway.Output}");
        Assert.Equal(0, rig.Gateway.ExitCode);
        Assert.Contains("drain bound of 2 s passed: 1 call(s) hung up", rig.Gateway.Output, StringComparison.Ordinal);
        Assert.True((await rig.CallResult.WaitAsync(Bound)).HungUpByRemote, "the caller was not sent BYE");
        await FinalSidecarAsync(srs);
    }

    [SkippableFact]
    public async Task AdminDrain_TurnsOptionsAway_AndExitsOnceNoCallIsLeft_AndAnUnreachableRegistryIsNotReady()
    {
        await using var rig = new FaultRig(_work);
        var srs = await rig.StartSrsAsync("srs");
        string http = "";
        var deadRedis = Peers.FreePorts.UdpAndTcp(); // nothing listens there
        await rig.StartGatewayAsync(new JObject { ["uris"] = new JArray(srs.Uri) }, configure: c =>
        {
            http = (string)c["http"]!;
            c["cluster"] = new JObject
            {
                ["redis"] = "127.0.0.1:" + deadRedis.ToString(CultureInfo.InvariantCulture),
                ["nodeId"] = "lonely",
                ["advertiseUrl"] = "http://" + http,
                ["ttlSecs"] = 2,
                ["heartbeatMs"] = 500,
            };
        });
        using var client = new HttpClient { BaseAddress = new Uri("http://" + http), Timeout = Bound };
        var ready = await client.GetAsync("/readyz");
        var reasons = JObject.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("registry unreachable", reasons["reasons"]!.Values<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("200", await OptionsStatusAsync(rig.SipPort));

        var drain = await client.PostAsync("/admin/drain", null);
        Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        Assert.True(await rig.Gateway.WaitForExitAsync(Bound), $"the drained gateway without calls did not exit:\n{rig.Gateway.Output}");
        Assert.Equal(0, rig.Gateway.ExitCode);
        Assert.Contains("draining (POST /admin/drain from 127.0.0.1)", rig.Gateway.Output, StringComparison.Ordinal);
    }

    // The SRS writes its final sidecar when the BYE the gateway sent before exiting arrives: wait for it, bounded.
    private static async Task FinalSidecarAsync(RunningSrs srs)
    {
        try
        {
            await Poll.UntilAsync(() => srs.Sidecars() is [{ } only] && (bool?)only["complete"] == true, Bound, "the SRS's one sidecar to be final");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}: {string.Join("\n", srs.Sidecars())}", ex);
        }
    }

    // One OPTIONS outside a dialog over UDP; the status code of the answer, or "none" within the bound.
    private static async Task<string> OptionsStatusAsync(int port) => (await AnswerAsync("OPTIONS", port)).Split(' ', 3) is [_, var code, ..] ? code : "none";

    // One request outside a dialog (no body) over UDP; the final answer's text (a 1xx is skipped), or "none" within 5 s.
    private static async Task<string> AnswerAsync(string method, int port)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)udp.Client.LocalEndPoint!;
        var callId = Guid.NewGuid().ToString("N");
        var request =
            $"{method} sip:bot@127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{local.Port};branch=z9hG4bK{callId[..12]};rport\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag={callId[..8]}\r\nTo: <sip:bot@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 {method}\r\nContact: <sip:probe@127.0.0.1:{local.Port}>\r\nContent-Length: 0\r\n\r\n";
        await udp.SendAsync(Encoding.ASCII.GetBytes(request), new IPEndPoint(IPAddress.Loopback, port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (true)
            {
                var answer = Encoding.ASCII.GetString((await udp.ReceiveAsync(timeout.Token)).Buffer);
                if (!answer.StartsWith("SIP/2.0 1", StringComparison.Ordinal)) return answer;
            }
        }
        catch (OperationCanceledException)
        {
            return "none";
        }
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
