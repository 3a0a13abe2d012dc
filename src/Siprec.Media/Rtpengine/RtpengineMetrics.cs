using System.Diagnostics.Metrics;

namespace Siprec.Media.Rtpengine;

/// <summary>
/// What the rtpengine media engine learns from ng <c>query</c> (meter <see cref="Forwarding.ForwarderMetrics.MeterName"/>,
/// tagged <c>engine=rtpengine</c>): RTP packets rtpengine received on each published leg (<c>leg</c> = caller, bot), and
/// queries that failed. rtpengine 10.5 reports no per-subscriber egress count, so "received by rtpengine" is the closest
/// truthful figure: while a recording is not paused, rtpengine forwards each of these to every subscribed SRS.
/// </summary>
public static class RtpengineMetrics
{
    private static readonly Meter Meter = new(Forwarding.ForwarderMetrics.MeterName);
    private static readonly KeyValuePair<string, object?> Engine = new("engine", "rtpengine");
    private static readonly Counter<long> Received = Meter.CreateCounter<long>("siprec.media.rtpengine.received", "{packet}",
        "RTP packets rtpengine received on a recording's published legs (ng query), by engine and leg");
    private static readonly Counter<long> QueryFailed = Meter.CreateCounter<long>("siprec.media.rtpengine.query.failed", "{query}",
        "ng query commands that failed or answered something unreadable; the recording goes on");

    /// <summary>Adds <paramref name="packets"/> (a delta between two queries, at least 0) received on <paramref name="leg"/>.</summary>
    public static void PacketsReceived(string leg, long packets)
    {
        if (packets > 0)
            Received.Add(packets, Engine, new KeyValuePair<string, object?>("leg", leg));
    }

    /// <summary>Counts one failed ng query.</summary>
    public static void QueryFailure() => QueryFailed.Add(1, Engine);
}
