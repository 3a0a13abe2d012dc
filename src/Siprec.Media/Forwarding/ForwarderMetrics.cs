using System.Diagnostics.Metrics;

namespace Siprec.Media.Forwarding;

/// <summary>
/// The embedded media engine's instruments (meter <see cref="MeterName"/>), shared by every <see cref="RtpForwarder"/> in the
/// process and tagged <c>engine=embedded</c>: RTP packets forwarded to recorders, dropped (by <c>reason</c>: <c>paused</c>,
/// <c>invalid</c>) and late (a sequence number older than one already forwarded: reordered or delayed on the call leg; still
/// forwarded, the SRS merges them). rtpengine forks media itself; what it reports (ng <c>query</c>) goes to
/// <see cref="Rtpengine.RtpengineMetrics"/>.
/// </summary>
public static class ForwarderMetrics
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "Siprec.Media";

    private static readonly Meter Meter = new(MeterName);
    private static readonly KeyValuePair<string, object?> Engine = new("engine", "embedded");
    private static readonly Counter<long> Forwarded = Meter.CreateCounter<long>("siprec.media.rtp.forwarded", "{packet}", "RTP packets forwarded to recorders, by engine");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("siprec.media.rtp.dropped", "{packet}", "RTP packets not forwarded, by engine and reason (paused, invalid)");
    private static readonly Counter<long> Late = Meter.CreateCounter<long>("siprec.media.rtp.late", "{packet}", "RTP packets forwarded out of sequence order (older than one already sent), by engine");

    /// <summary>Counts one packet forwarded; <paramref name="late"/> also counts it late.</summary>
    internal static void PacketForwarded(bool late)
    {
        Forwarded.Add(1, Engine);
        if (late) Late.Add(1, Engine);
    }

    /// <summary>Counts one packet dropped for <paramref name="reason"/> (<c>paused</c> or <c>invalid</c>).</summary>
    internal static void PacketDropped(string reason) => Dropped.Add(1, Engine, new KeyValuePair<string, object?>("reason", reason));
}
