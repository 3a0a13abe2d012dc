namespace Siprec.Load;

/// <summary>What the SRS recorded in one step.</summary>
internal sealed class StepMedia
{
    /// <summary>Final sessions (with a stop time).</summary>
    public int Sessions { get; set; }

    /// <summary>Sessions of the step still open (no final sidecar) when the harness stopped waiting.</summary>
    public int Open { get; set; }

    /// <summary>Final sessions that did not end by the SRC's BYE (a <c>reason</c> such as a media timeout).</summary>
    public int Incomplete { get; set; }

    /// <summary>Packets that came after their frames were written and were merged into the WAV (no audio lost).</summary>
    public long LatePacketsMerged { get; set; }

    /// <summary>Packets that came too late to be merged (beyond the SRS's repair window) and were dropped: audio lost.</summary>
    public long LatePacketsDropped { get; set; }

    /// <summary>The caller's leg (what the harness sent to the gateway).</summary>
    public LegMedia Caller { get; } = new();

    /// <summary>The bot's leg (what the gateway generated).</summary>
    public LegMedia Bot { get; } = new();

    /// <summary>Packets the SRS received, both legs.</summary>
    public long Received => Caller.Received + Bot.Received;

    /// <summary>
    /// Packets received ÷ (session durations × 50 pps), both legs, percent; null without sessions. A little under 100 even
    /// when nothing is lost: a session starts at the SIPREC INVITE, its media a round trip later.
    /// </summary>
    public double? DeliveredPercent
    {
        get
        {
            var expected = Caller.ExpectedByTime + Bot.ExpectedByTime;
            return expected <= 0 ? null : Received * 100 / expected;
        }
    }
}
