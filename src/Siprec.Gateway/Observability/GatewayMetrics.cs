using System.Diagnostics.Metrics;
using Siprec.Gateway.RecordingControl;
using Siprec.Recording;

namespace Siprec.Gateway.Observability;

/// <summary>
/// The gateway's instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>): active recordings, recorder
/// outcomes by kind and SIP code, recorders lost mid-call by reason and SIP code, failovers to a standby and their gap,
/// calls ended because their recording was required and unavailable, the recorders' own loss and jitter, and the time a
/// start took to be answered. One meter per gateway instance.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "Siprec.Gateway";

    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _startLatency;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _endedUnrecordable;
    private readonly Counter<long> _failovers;
    private readonly Histogram<double> _failoverGap;
    private readonly Counter<long> _forwards;

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

    /// <summary>Creates the meter and its instruments.</summary>
    public GatewayMetrics()
    {
        Meter = new Meter(MeterName);
        _active = Meter.CreateUpDownCounter<long>("siprec.gateway.recordings.active", "{recording}", "SIPREC sessions in progress or paused");
        _outcomes = Meter.CreateCounter<long>("siprec.gateway.recorder.outcomes", "{outcome}", "SRS answers to recording INVITEs, by outcome kind and SIP status code");
        _failures = Meter.CreateCounter<long>("siprec.gateway.recorder.failures", "{failure}",
            "established recorders that ended against the SRC's will, by reason (srs-bye, ping-failed, session-expired, refresh-failed, request-failed, media-unreachable, rtcp-silence) and SIP code");
        _endedUnrecordable = Meter.CreateCounter<long>("siprec.gateway.calls.ended_unrecordable", "{call}",
            "calls ended with BYE (Reason: SIP ;cause=503) because their recording was required and unavailable, by when (start, mid-call)");
        // Seconds, Prometheus's base unit (promtool check metrics rejects milliseconds), with buckets for SIP round trips.
        _startLatency = Meter.CreateHistogram<double>("siprec.gateway.recording.start.duration", "s", "time from a start request to its answer",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _failovers = Meter.CreateCounter<long>("siprec.gateway.recorder.failovers", "{failover}",
            "recordings moved to a standby recorder after theirs failed (issue 11)");
        _failoverGap = Meter.CreateHistogram<double>("siprec.gateway.recorder.failover.gap", "s",
            "audio not delivered by a failover: from when the failed recorder was last known to receive to the standby's acceptance, paused time excluded",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _forwards = Meter.CreateCounter<long>("siprec.gateway.cluster.forwards", "{request}",
            "REST requests for calls held by another node (issue 15), by outcome (answered, owner-gone, unreachable, timed-out)");
    }

    /// <summary>Counts one REST request routed to the node that holds its call, by <paramref name="outcome"/>.</summary>
    public void Forwarded(string outcome) => _forwards.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>
    /// Observes cluster mode (issue 15): <c>siprec.gateway.draining</c> (1 while draining) and
    /// <c>siprec.gateway.cluster.registry.reachable</c> (1 when the last heartbeat reached Redis, 0 when not; absent without a registry).
    /// </summary>
    public void ObserveCluster(Func<bool> draining, Func<bool>? registryReachable)
    {
        Meter.CreateObservableGauge("siprec.gateway.draining", () => draining() ? 1 : 0, "1", "1 while the gateway drains (SIGTERM, POST /admin/drain)");
        if (registryReachable is not null)
        {
            Meter.CreateObservableGauge("siprec.gateway.cluster.registry.reachable", () => registryReachable() ? 1 : 0, "1",
                "1 when the last heartbeat reached the cluster registry (Redis)");
        }
    }

    /// <summary>
    /// Observes what the recorders themselves report receiving (RFC 3550 receiver reports, issue 11), read from
    /// <paramref name="streams"/> at each collection: <c>siprec.gateway.recorder.fraction_lost.max</c> (0..1, the worst stream's
    /// loss in its last report interval), <c>siprec.gateway.recorder.jitter.max</c> (seconds) and
    /// <c>siprec.gateway.recorder.streams.unreported</c> (forked streams whose recorder has sent no report yet). No per-SRS tag:
    /// the REST resource names the recorder.
    /// </summary>
    public void ObserveRecorderMedia(Func<IReadOnlyList<RecorderStreamReport>> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        Meter.CreateObservableGauge("siprec.gateway.recorder.fraction_lost.max",
            () => streams().Select(s => s.Report?.FractionLost ?? 0).DefaultIfEmpty(0).Max(), "1", "worst fraction lost a recorder reports (RTCP RR)");
        Meter.CreateObservableGauge("siprec.gateway.recorder.jitter.max",
            () => streams().Select(s => s.Report?.JitterMs ?? 0).DefaultIfEmpty(0).Max() / 1000.0, "s", "worst interarrival jitter a recorder reports (RTCP RR)");
        Meter.CreateObservableGauge("siprec.gateway.recorder.streams.unreported",
            () => streams().Count(s => s.Report is null), "{stream}", "forked streams whose recorder has sent no RTCP receiver report");
    }

    /// <summary>
    /// Observes the calls at each collection: <c>siprec.gateway.calls.active</c> (calls in progress) and
    /// <c>siprec.gateway.recorders</c> (the recorders of those calls' sessions, tagged <c>state</c>: pending, active, failed,
    /// stopped; every state is reported, 0 when none, so a dashboard's series never vanish).
    /// </summary>
    /// <param name="calls">The live calls.</param>
    /// <param name="recorderStates">Each live call's recorders' states, one entry per recorder.</param>
    public void ObserveCalls(Func<int> calls, Func<IEnumerable<string>> recorderStates)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(recorderStates);
        Meter.CreateObservableGauge("siprec.gateway.calls.active", calls, "{call}", "calls in progress on the gateway");
        Meter.CreateObservableGauge("siprec.gateway.recorders", () =>
        {
            var states = recorderStates().GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return RecorderStates.Select(state => new Measurement<int>(states.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state)));
        }, "{recorder}", "recorders of the live calls' SIPREC sessions, by state");
    }

    private static readonly string[] RecorderStates = [RecorderResource.Pending, RecorderResource.Active, RecorderResource.Failed, RecorderResource.Stopped];

    /// <summary>Counts one recording moved to a standby and records its gap (<see cref="FailoverGap.AudioNotDeliveredMs"/>, in seconds).</summary>
    public void FailedOver(FailoverGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        _failovers.Add(1);
        _failoverGap.Record(gap.AudioNotDeliveredMs / 1000.0);
    }

    /// <summary>The meter (listeners match on this instance).</summary>
    public Meter Meter { get; }

    /// <summary>A session started (+1) or ended (-1).</summary>
    public void RecordingActive(long delta) => _active.Add(delta);

    /// <summary>Counts one SRS outcome with tags <c>outcome</c> (kind) and <c>code</c> (SIP status, 0 when none).</summary>
    public void RecorderOutcome(SrsOutcome outcome) =>
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Kind.ToString()), new KeyValuePair<string, object?>("code", outcome.StatusCode ?? 0));

    /// <summary>
    /// Counts one established recorder lost, with tags <c>reason</c> (<see cref="ReasonTag"/>: one of seven values) and
    /// <c>code</c> (the SIP status the SRS answered that ended it, 0 when it sent none).
    /// </summary>
    public void RecorderFailed(RecorderFailure failure) =>
        _failures.Add(1, new KeyValuePair<string, object?>("reason", ReasonTag(failure.Cause)), new KeyValuePair<string, object?>("code", failure.StatusCode ?? 0));

    /// <summary>The <c>reason</c> tag of a failure cause: <c>srs-bye</c>, <c>ping-failed</c>, <c>session-expired</c>, <c>refresh-failed</c>, <c>request-failed</c>, <c>media-unreachable</c>, <c>rtcp-silence</c> or <c>media-engine-failed</c>.</summary>
    public static string ReasonTag(RecorderFailureCause cause) => cause switch
    {
        RecorderFailureCause.SrsBye => "srs-bye",
        RecorderFailureCause.PingFailed => "ping-failed",
        RecorderFailureCause.SessionExpired => "session-expired",
        RecorderFailureCause.RefreshFailed => "refresh-failed",
        RecorderFailureCause.RequestFailed => "request-failed",
        RecorderFailureCause.MediaUnreachable => "media-unreachable",
        RecorderFailureCause.RtcpSilence => "rtcp-silence",
        RecorderFailureCause.MediaEngineFailed => "media-engine-failed",
        _ => "other",
    };

    /// <summary>Counts one call ended by the recording-required policy, with tag <c>when</c>: <c>start</c> or <c>mid-call</c>.</summary>
    public void CallEndedUnrecordable(string when) => _endedUnrecordable.Add(1, new KeyValuePair<string, object?>("when", when));

    /// <summary>Records how long a start took (seconds), tagged with the code it was answered with.</summary>
    public void StartCompleted(TimeSpan elapsed, int statusCode) =>
        _startLatency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("code", statusCode));

    /// <inheritdoc />
    public void Dispose() => Meter.Dispose();
}
