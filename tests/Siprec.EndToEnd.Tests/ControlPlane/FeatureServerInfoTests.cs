using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Gateway;
using Siprec.Recorder;

namespace Siprec.EndToEnd.Tests.ControlPlane;

/// <summary>
/// sipp as the feature server (samples/sipp/feature-server-*.xml): it calls the gateway, which runs no flow, and drives
/// the recording with INFO in the dialog; sipp checks every answer's code and Warning text (DESIGN §4.2). The SRSs are
/// the embedded recording server (accepts) and scripted loopback SRSs (refuses; answers too late).
/// </summary>
public sealed class FeatureServerInfoTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("siprec-e2e-fs-").FullName;

    [SkippableFact]
    public async Task EveryDesignAnswer_IsGivenToARealFeatureServer_OnOneEstablishedCall()
    {
        Siprec.Testing.Peers.Require("sipp");
        await using var srs = new RecordingServer(
            new RecordingServerOptions { SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0), MediaAddress = IPAddress.Loopback, OutputDirectory = _work },
            TimeProvider.System, NullLoggerFactory.Instance);
        await srs.StartAsync(CancellationToken.None);
        var recorded = new TaskCompletionSource<RecordedSessionSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        srs.SessionCompleted += s => recorded.TrySetResult(s);
        await using var busy = new ScriptedSrs(ScriptedSrsMode.Busy, "busy");
        await using var late = new ScriptedSrs(ScriptedSrsMode.LateAcceptor, "late");
        await using var gateway = new RecordingGateway(
            new GatewayOptions { SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0), NoAnswerTimeout = TimeSpan.FromSeconds(1) },
            TimeProvider.System, NullLoggerFactory.Instance);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += c => ended.TrySetResult(c);
        await gateway.StartAsync(CancellationToken.None);

        using var sipp = SippRun.Start("feature-server-info.xml", FreePorts.Udp(), _work,
        [
            "-set", "srs_ok", $"sip:srs@{srs.SipEndPoint}", "-set", "srs_busy", busy.Uri, "-set", "srs_late", late.Uri,
            $"127.0.0.1:{gateway.SipEndPoint.Port}",
        ]);
        var exit = await sipp.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, $"sipp feature server exit {exit?.ToString() ?? "(still running)"}\n{sipp.Diagnostics(_work)}");
        Assert.True(await Completes(ended.Task), "the gateway did not end the call after the feature server's BYE");
        var summary = await ended.Task;
        Assert.Equal(
            [400, 400, 400, 400, 503, 400, 503, 400, 200, 400, 200, 400, 200, 400, 200, 400],
            summary.InfoExchanges.Select(i => i.StatusCode));
        Assert.Equal("No response from SipRec server, return error to feature server", summary.InfoExchanges[7].Warning);
        Assert.Contains(busy.Requests, r => r.Method == "INVITE");
        Assert.True(await Completes(late.ByeSeen.Task), "the late acceptor got no BYE; it received: " + string.Join(", ", late.Requests.Select(r => r.Method)));
        Assert.True(await Completes(recorded.Task), "the embedded SRS completed no session");
        var session = await recorded.Task;
        Assert.Equal("e2e-info", session.RecordingId);
        Assert.Single(session.PausedSpans);
    }

    [SkippableFact]
    public async Task AnUntrustedFeatureServer_IsRefused403_AndNoCallIsMade()
    {
        Siprec.Testing.Peers.Require("sipp");
        await using var gateway = new RecordingGateway(
            new GatewayOptions { SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0), TrustedPeers = ["10.0.0.0/8"] },
            TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);

        using var sipp = SippRun.Start("feature-server-untrusted.xml", FreePorts.Udp(), _work, [$"127.0.0.1:{gateway.SipEndPoint.Port}"]);
        var exit = await sipp.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 0, $"sipp exit {exit?.ToString() ?? "(still running)"}\n{sipp.Diagnostics(_work)}");
        Assert.Equal(0, gateway.ActiveCallCount);
        Assert.Empty(gateway.CompletedCalls);
    }

    private static async Task<bool> Completes(Task task) => await Task.WhenAny(task, Task.Delay(Bound)) == task;

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
