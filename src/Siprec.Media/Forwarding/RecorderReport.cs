namespace Siprec.Media.Forwarding;

/// <summary>
/// What a recorder says it receives of one forwarded stream: the reception report block about the forwarder's SSRC in
/// the latest RTCP RR (or SR) from the recorder (RFC 3550 §6.4.1), in everyday units. First-hand proof that the
/// recorder is receiving.
/// </summary>
/// <param name="ReporterSsrc">SSRC of the recorder's report.</param>
/// <param name="FractionLost">Fraction of packets lost in the recorder's last reporting interval, 0 to 255/256.</param>
/// <param name="CumulativeLost">Packets lost since the recorder began receiving (expected − received; negative with duplicates).</param>
/// <param name="ExtendedHighestSequence">Highest sequence number the recorder received, with wraps in the high 16 bits.</param>
/// <param name="JitterMs">Interarrival jitter the recorder measured, in milliseconds (timestamp units over the clock rate).</param>
/// <param name="RoundTrip">Round-trip time from LSR and DLSR (§6.4.1: arrival − LSR − DLSR); null before the recorder saw a sender report, or when clocks give a negative value.</param>
/// <param name="ReceivedAt">When the report arrived (the forwarder's clock).</param>
public sealed record RecorderReport(
    uint ReporterSsrc,
    double FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    double JitterMs,
    TimeSpan? RoundTrip,
    DateTimeOffset ReceivedAt);
