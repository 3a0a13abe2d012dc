using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Siprec.Load;

/// <summary>
/// A whole run: starts the SRS and one gateway per engine, warms up, runs every step on every engine (interleaved: all
/// engines at N before any at the next N), prints the table, and stops every process it started, also on failure.
/// Steps stop early once a step loses more than 5 % (on a leg by sequence, or against 50 pps × session time) or fails
/// to record a tenth of its calls.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    // Long enough for tiered compilation to finish with the steady-state paths: with 20 calls held 3 s, the JIT's
    // background thread still took 17 % of the gateway's samples in the first step's hold (perf, issue 14).
    private static readonly TimeSpan WarmupHold = TimeSpan.FromSeconds(15);
    private const string ReadyMarker = "Ctrl+C stops";
    private const double ExplodedLossPercent = 5;
    private const double LateGeneratorMs = 60;

    /// <summary>The lowest of the media ports the harness gives rtpengine (<c>--port-min</c>).</summary>
    public const int RtpengineLowPort = 20000;

    /// <summary>The highest of the media ports the harness gives rtpengine (<c>--port-max</c>).</summary>
    public const int RtpengineHighPort = 29999;

    /// <summary>Runs the steps; the exit code is 0 when every step ran, 1 when the run failed or was cut short.</summary>
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var work = options.OutputDirectory is { } given ? Directory.CreateDirectory(given).FullName : Directory.CreateTempSubdirectory("siprec-load-").FullName;
        var recordings = Directory.CreateDirectory(Path.Combine(work, "recordings")).FullName;
        var loopback = IPAddress.Loopback;
        var srsPort = options.SrsPort != 0 ? options.SrsPort : FreePort();
        var maxSessions = (options.Steps.Max() + options.WarmupCalls + 64).ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"load: machine {MachineInfo.Cpu()}, load average {MachineInfo.LoadAverage()}; working in {work}");

        var servers = new List<ServerProcess>();
        var callers = new List<SipCaller>();
        RtpPump? pump = null;
        try
        {
            // The SRC sends the ~3 KB SIPREC INVITE over TCP (above the gateway's 1,300-byte UDP limit), so the SRS listens on both.
            var srs = ServerProcess.Start("srs", options.SrsProgram,
                ["srs", "--listen", $"udp:127.0.0.1:{srsPort}", "--listen", $"tcp:127.0.0.1:{srsPort}", "--out", recordings,
                 "--max-sessions", maxSessions, "--max-sessions-per-source", maxSessions, .. RtpPortsArgs(options.SrsRtpPorts)], work, ReadyMarker);
            servers.Add(srs);
            var gateways = new Dictionary<MediaEngineKind, (ServerProcess Server, SipCaller Caller)>();
            ServerProcess? rtpengine = null;
            foreach (var (engine, index) in options.Engines.Select((e, i) => (e, i)))
            {
                var port = options.GatewayPort != 0 ? options.GatewayPort + 2 * index : FreePort();
                // The REST listener serves /metrics (open on loopback): the gateway's own start durations, beside the harness's.
                var httpPort = FreePort();
                List<string> gatewayArgs = ["gateway", "--sip", $"udp:127.0.0.1:{port}", "--http", $"127.0.0.1:{httpPort}", .. RtpPortsArgs(options.GatewayRtpPorts)];
                if (engine == MediaEngineKind.Rtpengine)
                {
                    rtpengine = StartRtpengine(work, out var ngPort);
                    servers.Add(rtpengine);
                    gatewayArgs.AddRange(["--media-engine", "rtpengine", "--rtpengine", $"udp:127.0.0.1:{ngPort}"]);
                }
                var gateway = ServerProcess.Start($"gateway-{Name(engine)}", options.GatewayProgram, gatewayArgs, work, ReadyMarker,
                    new Uri($"http://127.0.0.1:{httpPort}/metrics"));
                servers.Add(gateway);
                var caller = new SipCaller(loopback, new IPEndPoint(loopback, port));
                callers.Add(caller);
                gateways[engine] = (gateway, caller);
            }
            foreach (var server in servers) await server.WaitReadyAsync(StartBound, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"load: {string.Join(", ", servers.Select(s => $"{s.Name} pid {s.Pid}"))} ready");

            pump = new RtpPump(loopback, options.RtpThreads);
            var runner = new StepRunner(pump, srs, recordings, $"sip:srs@127.0.0.1:{srsPort}", options.Rate);
            if (options.WarmupCalls > 0)
            {
                foreach (var engine in options.Engines)
                {
                    var (gateway, caller) = gateways[engine];
                    var warm = await runner.RunAsync(engine, gateway, caller, options.WarmupCalls, WarmupHold, $"warmup-{Name(engine)}-", cancellationToken,
                        engine == MediaEngineKind.Rtpengine ? rtpengine : null).ConfigureAwait(false);
                    Console.WriteLine($"load: warm-up {Name(engine)}: {warm.Recording}/{warm.Calls} recorded, start p50 {warm.StartP50:F1} ms (not counted)");
                }
            }

            var results = new List<StepResult>();
            var exploded = false;
            foreach (var (calls, stepIndex) in options.Steps.Select((c, i) => (c, i)))
            {
                foreach (var engine in options.Engines)
                {
                    var (gateway, caller) = gateways[engine];
                    Console.WriteLine($"load: step {stepIndex + 1}/{options.Steps.Count}: {calls} calls on {Name(engine)}, hold {options.Hold.TotalSeconds:F0} s (load average {MachineInfo.LoadAverage()})");
                    var result = await runner.RunAsync(engine, gateway, caller, calls, options.Hold, $"step{stepIndex}-{Name(engine)}-", cancellationToken,
                        engine == MediaEngineKind.Rtpengine ? rtpengine : null).ConfigureAwait(false);
                    results.Add(result);
                    Report(result);
                    exploded |= result.WorstLossPercent > ExplodedLossPercent || result.Recording < calls * 0.9;
                }
                if (exploded && stepIndex < options.Steps.Count - 1)
                {
                    Console.WriteLine($"load: stopping after {calls} calls: loss (by sequence or against 50 pps × session time) above {ExplodedLossPercent} % or fewer than 90 % of the calls recorded; larger steps would only say the same");
                    break;
                }
            }

            Console.WriteLine();
            Console.WriteLine($"load: {MachineInfo.Cpu()}; load average at the end {MachineInfo.LoadAverage()}; hold {options.Hold.TotalSeconds:F0} s, {options.Rate} calls/s set-up");
            Console.WriteLine();
            Console.Write(ResultTable.Format(results));
            return results.Count == options.Steps.Count * options.Engines.Count ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("load: stopped (timeout or Ctrl+C)");
            return 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or SocketException or IOException)
        {
            Console.Error.WriteLine($"load: {ex.Message}");
            return 1;
        }
        finally
        {
            // Gateways first, while the SRS and our UAC still answer their BYEs, so that a cut-short run ends cleanly too.
            foreach (var server in Enumerable.Reverse(servers)) await server.DisposeAsync().ConfigureAwait(false);
            foreach (var caller in callers) await caller.DisposeAsync().ConfigureAwait(false);
            pump?.Dispose();
            if (options.Keep)
            {
                Console.WriteLine($"load: kept {work}");
            }
            else
            {
                TryDeleteDirectory(work);
            }
        }
    }

    private static void Report(StepResult r)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load:   {r.Recording}/{r.Calls} recorded; gateway {r.GatewayCpuPercent:F1} %, SRS {r.SrsCpuPercent:F1} %, harness {r.HarnessCpuPercent:F1} %; " +
            $"{r.GatewayMicrosPerPacket:F1} µs/pkt (receive threads {r.ReceiveThreadMicrosPerCallerPacket:F1} µs/caller pkt); delivered {r.Media.DeliveredPercent:F2} %, seq loss caller {r.Media.Caller.LossPercent:F3} %, bot {r.Media.Bot.LossPercent:F3} %; " +
            $"start p50 {r.StartP50:F1} ms p99 {r.StartP99:F1} ms (gateway's own: {r.GatewayStarts?.PercentWithin(0.01):F1} % within 10 ms, p99 ≤ {r.GatewayStarts?.PercentileUpperBound(99) * 1000:F0} ms); bot {r.BotPacketsPerCallSecond:F1} pps/call; sessions {r.Media.Sessions} ({r.Media.Incomplete} incomplete, {r.Media.Open} still open)"));
        if (r.MediaEngineShare is { } share)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load:   of which rtpengine alone: {share.CpuPercent:F1} % CPU, {share.MicrosPerPacket:F1} µs/pkt"));
        if (r.GeneratorSkipped > 0 || r.GeneratorMaxLagMs > LateGeneratorMs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load:   warning: the harness's pacing fell up to {r.GeneratorMaxLagMs:F0} ms behind and skipped {r.GeneratorSkipped} caller packets; the caller leg's loss and late packets are partly its own"));
        }
        foreach (var failure in r.Failures) Console.WriteLine($"load:   failure: {failure}");
    }

    // Outside a namespace: a port free for both UDP and TCP right now (the SRS needs both on one port).
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP; try another.
            }
        }
        throw new InvalidOperationException("no port free for both UDP and TCP on 127.0.0.1");
    }

    // The Debian rtpengine-daemon in userspace (no kernel table), its own config ignored, ng on a free port, media ports
    // 20000-29999 (8 per recorded call: the anchored call's two sides and one subscription of two legs, RTP + RTCP each).
    private static ServerProcess StartRtpengine(string work, out int ngPort)
    {
        ngPort = FreePort();
        return ServerProcess.Start("rtpengine", "rtpengine",
            ["--config-file=none", "--foreground", "--log-stderr", "--table=-1", "--interface=127.0.0.1", $"--listen-ng=127.0.0.1:{ngPort}",
             $"--port-min={RtpengineLowPort}", $"--port-max={RtpengineHighPort}", "--log-level=6"], work, "Startup complete"); // level 6 (INFO) prints the ready line
    }

    private static string[] RtpPortsArgs(Siprec.Media.Rtp.RtpPortRange? ports) => ports is null ? [] : ["--rtp-ports", ports.ToString()];

    private static string Name(MediaEngineKind engine) => engine.ToString().ToLowerInvariant();

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"load: could not delete {directory}: {ex.Message}");
        }
    }
}
