using System.Diagnostics.Metrics;
using Siprec.Recorder.Sessions;

namespace Siprec.Recorder.Observability;

/// <summary>
/// The SRS's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>): sessions open, started, refused and ended,
/// RTP packets received (recorded or paused), packets lost (RFC 3550 sequence gaps), packets that came late and were merged
/// into the WAV or dropped, WAV bytes written and storage write errors. One meter per <see cref="RecordingServer"/>;
/// exporters select it by name (Prometheus names: <c>siprec_srs_…</c>, units appended by the exporter).
/// </summary>
internal sealed class RecorderMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "Siprec.Recorder";

    private static readonly KeyValuePair<string, object?> Recorded = new("state", "recorded");
    private static readonly KeyValuePair<string, object?> Paused = new("state", "paused");
    private static readonly KeyValuePair<string, object?> Merged = new("outcome", "merged");
    private static readonly KeyValuePair<string, object?> Dropped = new("outcome", "dropped");

    private readonly Counter<long> _started;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _packets;
    private readonly Counter<long> _lost;
    private readonly Counter<long> _late;
    private readonly Counter<long> _writeErrors;

    /// <summary>Creates the meter and its instruments.</summary>
    /// <param name="activeSessions">Read at each collection: sessions open now.</param>
    /// <param name="bytesWritten">Read at each collection: WAV bytes written since the server started (finished and open sessions).</param>
    public RecorderMetrics(Func<int> activeSessions, Func<long> bytesWritten)
    {
        Meter = new Meter(MeterName);
        Meter.CreateObservableGauge("siprec.srs.sessions.active", activeSessions, "{session}", "recording sessions open on the SRS");
        Meter.CreateObservableCounter("siprec.srs.wav.written", bytesWritten, "By", "WAV bytes written (headers excluded)");
        _started = Meter.CreateCounter<long>("siprec.srs.sessions.started", "{session}", "recording sessions accepted (200 OK to the INVITE)");
        _refused = Meter.CreateCounter<long>("siprec.srs.sessions.refused", "{session}", "initial INVITEs answered with an error instead of recorded, by reason (max-sessions, rtp-ports, bad-offer, ...)");
        _ended = Meter.CreateCounter<long>("siprec.srs.sessions.ended", "{session}", "recording sessions finalized, by complete (true: BYE from the SRC; false: ended by the SRS)");
        _packets = Meter.CreateCounter<long>("siprec.srs.rtp.packets", "{packet}", "RTP packets received, by state (recorded, paused)");
        _lost = Meter.CreateCounter<long>("siprec.srs.rtp.lost", "{packet}", "RTP packets missing from a stream's sequence numbers (RFC 3550 §6.4.1)");
        _late = Meter.CreateCounter<long>("siprec.srs.rtp.late", "{packet}", "RTP packets that came after their frames were written: merged into the WAV, or dropped (more than 5 s late)");
        _writeErrors = Meter.CreateCounter<long>("siprec.srs.write.errors", "{error}", "WAV or sidecar writes that failed (disk full, permissions)");
    }

    /// <summary>The meter (listeners match on this instance).</summary>
    public Meter Meter { get; }

    /// <summary>Counts one session accepted.</summary>
    public void SessionStarted() => _started.Add(1);

    /// <summary>Counts one initial INVITE refused, with tag <c>reason</c> (<see cref="ReasonTag"/>).</summary>
    public void SessionRefused(SessionRefusal reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(reason)));

    /// <summary>
    /// The <c>reason</c> tag of a refusal: <c>shutting-down</c>, <c>max-sessions</c>, <c>max-sessions-per-source</c>, <c>rtp-ports</c>
    /// (the 503s, which carry Retry-After), <c>unsupported-extension</c> (420), <c>session-interval-too-small</c> (422), <c>bad-offer</c>,
    /// <c>too-many-streams</c>, <c>no-recordable-stream</c> (the 488s) or <c>error</c> (500).
    /// </summary>
    public static string ReasonTag(SessionRefusal reason) => reason switch
    {
        SessionRefusal.ShuttingDown => "shutting-down",
        SessionRefusal.MaxSessions => "max-sessions",
        SessionRefusal.MaxSessionsPerSource => "max-sessions-per-source",
        SessionRefusal.RtpPorts => "rtp-ports",
        SessionRefusal.UnsupportedExtension => "unsupported-extension",
        SessionRefusal.SessionIntervalTooSmall => "session-interval-too-small",
        SessionRefusal.BadOffer => "bad-offer",
        SessionRefusal.TooManyStreams => "too-many-streams",
        SessionRefusal.NoRecordableStream => "no-recordable-stream",
        SessionRefusal.Cancelled => "cancelled",
        SessionRefusal.Error => "error",
        _ => "other",
    };

    /// <summary>Counts one session finalized; <paramref name="complete"/> as the sidecar's <c>complete</c>.</summary>
    public void SessionEnded(bool complete) => _ended.Add(1, new KeyValuePair<string, object?>("complete", complete ? "true" : "false"));

    /// <summary>Counts one RTP packet received, paused or recorded.</summary>
    public void PacketReceived(bool paused) => _packets.Add(1, paused ? Paused : Recorded);

    /// <summary>Counts <paramref name="packets"/> found missing by a sequence gap.</summary>
    public void PacketsLost(long packets) => _lost.Add(packets);

    /// <summary>Counts one late packet: merged into the WAV (true) or dropped (false).</summary>
    public void LatePacket(bool merged) => _late.Add(1, merged ? Merged : Dropped);

    /// <summary>Counts one failed WAV or sidecar write.</summary>
    public void WriteFailed() => _writeErrors.Add(1);

    /// <inheritdoc />
    public void Dispose() => Meter.Dispose();
}
