using Siprec.Media.Rtp;

namespace Siprec.Load;

/// <summary>What one load run does: the steps, how long each is held, the engines, the binaries and the ports.</summary>
/// <remarks>
/// Defaults: steps 100, 250, 500, 1000 calls; each held 20 s; calls set up at 100 per second; 100 warm-up calls (held 15 s); the
/// embedded engine; <c>siprec</c> from the build output of src/Siprec.Cli; gateway SIP on 5060 and SRS on 5080 inside the
/// run's own network namespace (any free ports on 127.0.0.1 outside one); one RTP pacing thread; a 20-minute bound; no RTP
/// port range (both servers bind media ports from the system's ephemeral range).
/// <para>
/// <c>--rtp-ports LOW-HIGH</c> is split in two at an even port: the gateway gets the lower half (<see cref="GatewayRtpPorts"/>),
/// the SRS the upper half (<see cref="SrsRtpPorts"/>), each passed as that server's <c>--rtp-ports</c>. Both run in one
/// network namespace on 127.0.0.1 and both skip ports that are taken, so one shared range would not fail, but the two would
/// compete for it (a full range would show up in whichever server asked last), and a port one of them just released could be
/// bound by the other while late RTP for the old stream still arrives. The SRS binds an RTP/RTCP pair per recorded stream
/// (two per call), so its half needs about 4 ports per concurrent call; a half too small is refused with 503 (the SRS's
/// <c>siprec_srs_sessions_refused_total{reason="rtp-ports"}</c>). With <c>--engine rtpengine</c> the range must stay clear
/// of rtpengine's own media ports (<see cref="LoadRun.RtpengineLowPort"/> to <see cref="LoadRun.RtpengineHighPort"/>).
/// </para>
/// </remarks>
internal sealed record LoadOptions
{
    /// <summary>Concurrent calls of each step, in order.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [100, 250, 500, 1000];

    /// <summary>How long each step holds its calls once all of them are recording.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Calls set up (INVITE, ACK, INFO) per second while a step ramps up; also the BYE rate when it ends.</summary>
    public int Rate { get; init; } = 100;

    /// <summary>Calls placed, recorded and ended before the first step so that JIT and pools are warm; their numbers are dropped.</summary>
    public int WarmupCalls { get; init; } = 100;

    /// <summary>Media engines, run interleaved step by step.</summary>
    public IReadOnlyList<MediaEngineKind> Engines { get; init; } = [MediaEngineKind.Embedded];

    /// <summary>The gateway's program: a <c>.dll</c> runs under <c>dotnet</c>, anything else is executed directly.</summary>
    public required string GatewayProgram { get; init; }

    /// <summary>The SRS's program, like <see cref="GatewayProgram"/>.</summary>
    public required string SrsProgram { get; init; }

    /// <summary>The gateway's SIP UDP port; 0 picks a free one.</summary>
    public int GatewayPort { get; init; }

    /// <summary>The SRS's SIP port (UDP and TCP: the SIPREC INVITE is larger than the gateway's UDP limit); 0 picks a free one.</summary>
    public int SrsPort { get; init; }

    /// <summary>The gateway's <c>--rtp-ports</c>: the lower half of the harness's <c>--rtp-ports</c>; null: not given.</summary>
    public RtpPortRange? GatewayRtpPorts { get; init; }

    /// <summary>The SRS's <c>--rtp-ports</c>: the upper half of the harness's <c>--rtp-ports</c>; null: not given.</summary>
    public RtpPortRange? SrsRtpPorts { get; init; }

    /// <summary>Threads that pace the callers' RTP (each with its own socket).</summary>
    public int RtpThreads { get; init; } = 1;

    /// <summary>Working folder (recordings, logs, configuration); null: a new temporary folder.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Keep the working folder (recordings and logs) instead of deleting it at the end.</summary>
    public bool Keep { get; init; }

    /// <summary>The bound of the whole run; when it passes every process is stopped and the run fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Run on the host's loopback even as root (no network namespace).</summary>
    public bool NoNamespace { get; init; }

    /// <summary>Set in the copy of the harness that runs inside the namespace the parent made: its name.</summary>
    public string? InsideNamespace { get; init; }
}
