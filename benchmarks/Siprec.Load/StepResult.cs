namespace Siprec.Load;

/// <summary>One step's row: N calls on one engine, held for a while.</summary>
internal sealed record StepResult
{
    /// <summary>The gateway's media engine.</summary>
    public required MediaEngineKind Engine { get; init; }

    /// <summary>Calls the step placed.</summary>
    public required int Calls { get; init; }

    /// <summary>Calls the gateway answered with a 2xx.</summary>
    public required int Answered { get; init; }

    /// <summary>Calls whose recording start INFO got a 200.</summary>
    public required int Recording { get; init; }

    /// <summary>Gateway CPU over the hold, percent of one core.</summary>
    public required double GatewayCpuPercent { get; init; }

    /// <summary>With an external media engine: its own share of <see cref="GatewayCpuPercent"/> and of the CPU-µs per packet (rtpengine alone); null without one.</summary>
    public (double CpuPercent, double? MicrosPerPacket)? MediaEngineShare { get; init; }

    /// <summary>SRS CPU over the hold, percent of one core.</summary>
    public required double SrsCpuPercent { get; init; }

    /// <summary>The harness's own CPU over the hold (it shares the machine), percent of one core.</summary>
    public required double HarnessCpuPercent { get; init; }

    /// <summary>Gateway CPU time of the whole step (set-up, hold, tear-down) ÷ packets the SRS received in it, in µs.</summary>
    public required double? GatewayMicrosPerPacket { get; init; }

    /// <summary>
    /// CPU of the gateway's receive-engine threads over the step ÷ caller packets the SRS received, in µs: per caller packet
    /// they receive it and send it to the recorder, the same work rtpengine does per packet. Null when not measured.
    /// </summary>
    public double? ReceiveThreadMicrosPerCallerPacket { get; init; }

    /// <summary>What the SRS's sidecars say about the step.</summary>
    public required StepMedia Media { get; init; }

    /// <summary>INFO sent → final response, 50th percentile, ms.</summary>
    public required double? StartP50 { get; init; }

    /// <summary>INFO sent → final response, 99th percentile, ms.</summary>
    public required double? StartP99 { get; init; }

    /// <summary>The gateway's own start durations (its /metrics histogram) for the step's starts; null when not read.</summary>
    public StartHistogram? GatewayStarts { get; init; }

    /// <summary>Gateway resident set at the end of the hold.</summary>
    public required long GatewayRssBytes { get; init; }

    /// <summary>SRS resident set at the end of the hold.</summary>
    public required long SrsRssBytes { get; init; }

    /// <summary>Caller packets the harness could not send in time (its own overload; 0 in a sound run).</summary>
    public required long GeneratorSkipped { get; init; }

    /// <summary>The latest a caller packet left the harness after it was due, set-up and hold, in ms.</summary>
    public required double GeneratorMaxLagMs { get; init; }

    /// <summary>Bot packets per call per second the harness received during the hold (50 when the bot keeps pace).</summary>
    public required double BotPacketsPerCallSecond { get; init; }

    /// <summary>The first few failures (status and reason), for the report under the table.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>The worst of the two legs' sequence losses and the shortfall against 50 pps × session time, percent.</summary>
    public double WorstLossPercent => Math.Max(Math.Max(Media.Caller.LossPercent ?? 0, Media.Bot.LossPercent ?? 0), 100 - (Media.DeliveredPercent ?? 100));
}
