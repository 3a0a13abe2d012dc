using System.CommandLine;
using System.Globalization;
using Siprec.Media.Rtp;

namespace Siprec.Load;

/// <summary>
/// The harness's command line: <c>Siprec.Load [--steps 100,250] [--hold 20s] [--rate 100] [--warmup 100]
/// [--engine embedded|rtpengine] [--siprec PATH] [--gateway PATH] [--srs PATH] [--gateway-port N] [--srs-port N]
/// [--rtp-ports LOW-HIGH] [--rtp-threads N] [--out DIR] [--keep] [--timeout 20m] [--no-netns]</c>.
/// </summary>
internal static class LoadCommand
{
    /// <summary>Hidden: the parent passes its namespace's name to the copy it runs inside it.</summary>
    public const string InsideNamespaceOption = "--inside-netns";

    /// <summary>Reads the arguments; null and a message naming the bad option when they do not make sense.</summary>
    public static (LoadOptions? Options, string? Error, bool Help) Parse(string[] args)
    {
        var steps = new Option<string>("--steps") { Description = "concurrent calls per step, comma-separated", DefaultValueFactory = _ => "100,250,500,1000" };
        var hold = new Option<string>("--hold") { Description = "how long each step holds its calls once all record (e.g. 20s, 1m)", DefaultValueFactory = _ => "20s" };
        var rate = new Option<int>("--rate") { Description = "calls set up (and hung up) per second", DefaultValueFactory = _ => 100 };
        var warmup = new Option<int>("--warmup") { Description = "calls placed and recorded before the first step; their numbers are dropped", DefaultValueFactory = _ => 100 };
        var engine = new Option<string>("--engine") { Description = "media engine(s): embedded, rtpengine, or both comma-separated (run interleaved)", DefaultValueFactory = _ => "embedded" };
        var siprec = new Option<string?>("--siprec") { Description = "siprec program for both servers (.dll runs under dotnet); default: src/Siprec.Cli build output" };
        var gateway = new Option<string?>("--gateway") { Description = "program of the gateway (overrides --siprec)" };
        var srs = new Option<string?>("--srs") { Description = "program of the SRS (overrides --siprec)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "gateway SIP UDP port (default 5060 in the namespace, a free one otherwise)" };
        var srsPort = new Option<int?>("--srs-port") { Description = "SRS SIP UDP+TCP port (default 5080 in the namespace, a free one otherwise)" };
        var rtpPorts = new Option<string?>("--rtp-ports")
        {
            Description = "UDP media ports, LOW-HIGH (e.g. 30000-39999): the gateway gets the lower half, the SRS the upper half (one namespace: "
                + "no shared ports), each as its --rtp-ports; the SRS needs ~4 ports per call; default: the ephemeral range",
        };
        var rtpThreads = new Option<int>("--rtp-threads") { Description = "threads pacing the callers' RTP", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "working folder (default: a new temporary folder)" };
        var keep = new Option<bool>("--keep") { Description = "keep the working folder (recordings, logs)" };
        var timeout = new Option<string>("--timeout") { Description = "bound of the whole run (e.g. 20m)", DefaultValueFactory = _ => "20m" };
        var noNamespace = new Option<bool>("--no-netns") { Description = "run on the host's 127.0.0.1 even as root" };
        var inside = new Option<string?>(InsideNamespaceOption) { Hidden = true };
        var root = new RootCommand("SIPREC load harness: N concurrent recorded calls through a real siprec gateway and siprec srs")
        {
            steps, hold, rate, warmup, engine, siprec, gateway, srs, gatewayPort, srsPort, rtpPorts, rtpThreads, output, keep, timeout, noNamespace, inside,
        };
        var parse = root.Parse(args);
        if (args.Any(a => a is "-h" or "--help" or "-?"))
        {
            parse.Invoke();
            return (null, null, true);
        }
        if (parse.Errors.Count > 0) return (null, string.Join("; ", parse.Errors.Select(e => e.Message)), false);

        if (!TryParseSteps(parse.GetValue(steps)!, out var stepList)) return Fail($"--steps '{parse.GetValue(steps)}': expected positive call counts, e.g. 100,250");
        if (!TryParseDuration(parse.GetValue(hold)!, out var holdTime) || holdTime < TimeSpan.FromSeconds(1)) return Fail($"--hold '{parse.GetValue(hold)}': expected a duration of at least 1s, e.g. 20s");
        if (!TryParseDuration(parse.GetValue(timeout)!, out var bound) || bound < TimeSpan.FromSeconds(10)) return Fail($"--timeout '{parse.GetValue(timeout)}': expected a duration of at least 10s, e.g. 20m");
        if (!TryParseEngines(parse.GetValue(engine)!, out var engines)) return Fail($"--engine '{parse.GetValue(engine)}': expected embedded, rtpengine or embedded,rtpengine");
        if (parse.GetValue(rate) is < 1 or > 10_000) return Fail($"--rate {parse.GetValue(rate)}: must be 1 to 10000 calls per second");
        if (parse.GetValue(warmup) < 0) return Fail($"--warmup {parse.GetValue(warmup)}: must not be negative");
        if (parse.GetValue(rtpThreads) is < 1 or > 16) return Fail($"--rtp-threads {parse.GetValue(rtpThreads)}: must be 1 to 16");
        foreach (var (option, value) in new[] { ("--gateway-port", parse.GetValue(gatewayPort)), ("--srs-port", parse.GetValue(srsPort)) })
        {
            if (value is < 0 or > 65535) return Fail($"{option} {value}: must be 0 to 65535");
        }
        RtpPortRange? gatewayRtpPorts = null, srsRtpPorts = null;
        if (parse.GetValue(rtpPorts) is { } portsText && !TrySplitRtpPorts(portsText, engines, out gatewayRtpPorts, out srsRtpPorts, out var portsError))
            return Fail($"--rtp-ports {portsError}");

        var insideName = parse.GetValue(inside);
        var useNamespace = insideName is not null;
        var program = parse.GetValue(siprec) ?? DefaultProgram();
        var options = new LoadOptions
        {
            Steps = stepList,
            Hold = holdTime,
            Rate = parse.GetValue(rate),
            WarmupCalls = parse.GetValue(warmup),
            Engines = engines,
            GatewayProgram = parse.GetValue(gateway) ?? program,
            SrsProgram = parse.GetValue(srs) ?? program,
            GatewayPort = parse.GetValue(gatewayPort) ?? (useNamespace ? 5060 : 0),
            SrsPort = parse.GetValue(srsPort) ?? (useNamespace ? 5080 : 0),
            GatewayRtpPorts = gatewayRtpPorts,
            SrsRtpPorts = srsRtpPorts,
            RtpThreads = parse.GetValue(rtpThreads),
            OutputDirectory = parse.GetValue(output),
            Keep = parse.GetValue(keep),
            Timeout = bound,
            NoNamespace = parse.GetValue(noNamespace),
            InsideNamespace = insideName,
        };
        return (options, null, false);
    }

    /// <summary>Reads <c>20s</c>, <c>500ms</c>, <c>2m</c> or plain seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0) return false;
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    /// <summary>
    /// Reads <c>LOW-HIGH</c> as the servers do (<see cref="RtpPortRange.TryParse"/>) and splits it at an even port: the lower
    /// half for the gateway, the upper half for the SRS (see <see cref="LoadOptions"/>). Each half must hold an RTP/RTCP pair,
    /// and with rtpengine the range must not overlap its media ports.
    /// </summary>
    public static bool TrySplitRtpPorts(string text, IReadOnlyList<MediaEngineKind> engines, out RtpPortRange? gateway, out RtpPortRange? srs, out string? error)
    {
        gateway = srs = null;
        if (!RtpPortRange.TryParse(text, out var whole, out error)) return false;
        var split = whole!.Low + ((whole.High - whole.Low + 1) / 2);
        if (split % 2 != 0) split++; // an even first port for the SRS, so no RTP/RTCP pair straddles the halves
        if (!RtpPortRange.TryParse(string.Create(CultureInfo.InvariantCulture, $"{whole.Low}-{split - 1}"), out gateway, out _)
            || !RtpPortRange.TryParse(string.Create(CultureInfo.InvariantCulture, $"{split}-{whole.High}"), out srs, out _))
        {
            gateway = srs = null;
            error = $"'{text}' is too small to split between the gateway and the SRS: each half needs an even RTP port with its odd RTCP port (two such pairs in all, e.g. 30000-30003)";
            return false;
        }
        if (engines.Contains(MediaEngineKind.Rtpengine) && whole.Low <= LoadRun.RtpengineHighPort && whole.High >= LoadRun.RtpengineLowPort)
        {
            gateway = srs = null;
            error = $"'{text}' overlaps rtpengine's media ports {LoadRun.RtpengineLowPort}-{LoadRun.RtpengineHighPort} (--engine rtpengine)";
            return false;
        }
        return true;
    }

    private static bool TryParseSteps(string text, out IReadOnlyList<int> steps)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var calls) || calls < 1 || calls > 20_000)
            {
                steps = [];
                return false;
            }
            list.Add(calls);
        }
        steps = list;
        return list.Count > 0;
    }

    private static bool TryParseEngines(string text, out IReadOnlyList<MediaEngineKind> engines)
    {
        var list = new List<MediaEngineKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            MediaEngineKind? kind = part.ToLowerInvariant() switch { "embedded" => MediaEngineKind.Embedded, "rtpengine" => MediaEngineKind.Rtpengine, _ => null };
            if (kind is null || list.Contains(kind.Value))
            {
                engines = [];
                return false;
            }
            list.Add(kind.Value);
        }
        engines = list;
        return list.Count > 0;
    }

    // The harness sits in benchmarks/Siprec.Load/bin/<config>/net10.0; the CLI's Release output is the one measured.
    private static string DefaultProgram()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Siprec.FlowNode.sln"))) continue;
            var release = Path.Combine(dir.FullName, "src", "Siprec.Cli", "bin", "Release", "net10.0", "siprec.dll");
            var debug = Path.Combine(dir.FullName, "src", "Siprec.Cli", "bin", "Debug", "net10.0", "siprec.dll");
            return File.Exists(release) || !File.Exists(debug) ? release : debug;
        }
        return "siprec";
    }

    private static (LoadOptions?, string?, bool) Fail(string error) => (null, error, false);
}
