namespace Siprec.Load;

/// <summary>One leg's streams over a step's sessions.</summary>
internal sealed class LegMedia
{
    /// <summary>Streams of this leg.</summary>
    public int Streams { get; set; }

    /// <summary>Packets received.</summary>
    public long Received { get; set; }

    /// <summary>Packets received plus those missing from the sequence range.</summary>
    public long Expected { get; set; }

    /// <summary>The streams' session durations × 50 packets a second.</summary>
    public double ExpectedByTime { get; set; }

    /// <summary>Lost share in percent; null without packets.</summary>
    public double? LossPercent => Expected == 0 ? null : (Expected - Received) * 100.0 / Expected;
}
