using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Gateway;
using Siprec.Media.Codecs;
using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>
/// One call through an in-process <see cref="RecordingGateway"/> on loopback: sipp SRS scenarios from
/// <c>samples/sipp/</c> listen first, then the sipp caller (<c>caller-pcmu.xml</c>) calls the gateway, whose flow
/// records to those SRSs. <see cref="RunAsync"/> returns when every peer has finished and the gateway has
/// reported the call; every wait is bounded.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private static readonly TimeSpan CallerLimit = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan SrsLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SummaryLimit = TimeSpan.FromSeconds(10);
    private readonly List<SippRun> _sipps = [];
    private RecordingGateway? _gateway;

    /// <summary>Prepares a working directory and free loopback ports for one SRS per scenario (at least one).</summary>
    public GatewayHarness(params string[] srsScenarios)
    {
        if (srsScenarios.Length == 0)
            throw new ArgumentException("at least one SRS scenario", nameof(srsScenarios));
        if (srsScenarios.Distinct().Count() != srsScenarios.Length)
            throw new ArgumentException("each SRS needs its own scenario file (sipp names its logs after it)", nameof(srsScenarios));
        Siprec.Testing.Peers.Require("sipp");
        WorkDirectory = Directory.CreateTempSubdirectory("siprec-e2e-srs-").FullName;
        Srss = srsScenarios.Select(s => new SrsPeer(s, FreePorts.Udp(), FreePorts.UdpMediaPair())).ToList();
    }

    /// <summary>Where sipp runs and writes its logs (deleted on dispose).</summary>
    public string WorkDirectory { get; }

    /// <summary>The SRSs, in the order the flow names them.</summary>
    public IReadOnlyList<SrsPeer> Srss { get; }

    /// <summary>The first (often only) SRS.</summary>
    public SrsPeer Srs => Srss[0];

    /// <summary>
    /// Starts the SRSs, the gateway with <paramref name="flowJson"/> and the caller; waits for all of them (bounded)
    /// and for the gateway's <see cref="RecordingGateway.CallEnded"/>. Fails the test if the call is never reported.
    /// </summary>
    public async Task<ScenarioRun> RunAsync(string flowJson)
    {
        WriteCallerUlaw(Path.Combine(WorkDirectory, "caller.ulaw"));
        var flowPath = Path.Combine(WorkDirectory, "flow.json");
        await File.WriteAllTextAsync(flowPath, flowJson);

        var srsRuns = new List<SippRun>();
        foreach (var srs in Srss)
        {
            var run = SippRun.Start(srs.Scenario, srs.SipPort, WorkDirectory, ["-mi", "127.0.0.1", "-mp", $"{srs.MediaPort}", "-rtp_echo"]);
            _sipps.Add(run);
            srsRuns.Add(run);
        }

        var options = new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            FlowPath = flowPath,
            PromptDirectory = Path.Combine(RepoPaths.Samples, "audio"),
            FlowContext = new JObject { ["srs"] = string.Join(",", Srss.Select(s => s.Uri)) },
        };
        _gateway = new RecordingGateway(options, TimeProvider.System, NullLoggerFactory.Instance);
        var callEnded = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        _gateway.CallEnded += c => callEnded.TrySetResult(c);
        await _gateway.StartAsync(CancellationToken.None);

        var caller = SippRun.Start("caller-pcmu.xml", FreePorts.Udp(), WorkDirectory, ["-mi", "127.0.0.1", $"127.0.0.1:{_gateway.SipEndPoint.Port}"]);
        _sipps.Add(caller);
        var callerExit = await caller.WaitAsync(CallerLimit);

        var results = new List<SrsRunResult>();
        for (var i = 0; i < Srss.Count; i++)
        {
            var exit = await srsRuns[i].WaitAsync(SrsLimit);
            results.Add(new SrsRunResult(Srss[i], exit, srsRuns[i].ReceivedMessages(), srsRuns[i].Diagnostics(WorkDirectory)));
        }

        var summary = await Task.WhenAny(callEnded.Task, Task.Delay(SummaryLimit)) == callEnded.Task
            ? await callEnded.Task
            : throw new Xunit.Sdk.XunitException(
                $"the gateway did not report the call within {SummaryLimit.TotalSeconds} s; caller exit {callerExit?.ToString() ?? "(running)"}\n{caller.Diagnostics(WorkDirectory)}");
        return new ScenarioRun(summary, callerExit, caller.Diagnostics(WorkDirectory), results);
    }

    private static void WriteCallerUlaw(string path)
    {
        var audio = WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav"));
        var ulaw = new byte[audio.Samples.Length];
        G711.EncodeMuLaw(audio.Samples, ulaw);
        File.WriteAllBytes(path, ulaw);
    }

    /// <summary>Stops the gateway, kills any sipp still running (by PID) and deletes the working directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
            await _gateway.DisposeAsync();
        foreach (var sipp in _sipps)
            sipp.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
