using Siprec.Control;
using Siprec.Gateway.Observability;
using Siprec.Recording;
using Siprec.Sip.Messages;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The SIPREC sessions of one call as resources (DESIGN §4.4): every start, successful or not, becomes one; several may be
/// active (in progress or paused) at once, within the call's stream budget, each changed by its SID. Each status change is
/// counted in the metrics and reported to the status sink, which must not block (callbacks are queued, never sent on the
/// call's path). Thread-safe.
/// </summary>
internal sealed class RecordingResources
{
    private readonly string? _accountSid;
    private readonly string _callSid;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics? _metrics;
    private readonly Action<RecordingStatusChange>? _sink;
    private readonly object _sync = new();
    private readonly List<RecordingResource> _all = [];

    /// <param name="accountSid">The call's account, null when none.</param>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="time">Clock for the resource dates.</param>
    /// <param name="metrics">Instruments; null counts nothing.</param>
    /// <param name="sink">Told about started, stopped and error changes; null for none. Must not block or throw.</param>
    public RecordingResources(string? accountSid, string callSid, TimeProvider time, GatewayMetrics? metrics, Action<RecordingStatusChange>? sink)
    {
        _accountSid = accountSid;
        _callSid = callSid;
        _time = time;
        _metrics = metrics;
        _sink = sink;
    }

    /// <summary>The call's account, null when none.</summary>
    public string? AccountSid => _accountSid;

    /// <summary>The clock the resource dates come from.</summary>
    public TimeProvider Time => _time;

    /// <summary>Every session of the call, oldest first.</summary>
    public IReadOnlyList<RecordingResource> All
    {
        get { lock (_sync) return _all.ToList(); }
    }

    /// <summary>The sessions in progress or paused, oldest first.</summary>
    public IReadOnlyList<RecordingResource> Active
    {
        get { lock (_sync) return _all.Where(r => r.Status != RestRecordingStatus.Stopped).ToList(); }
    }

    /// <summary>The session with this SID while it is in progress or paused; null when none.</summary>
    public RecordingResource? ActiveSession(string sid)
    {
        lock (_sync)
        {
            var index = IndexOf(sid);
            return index >= 0 && _all[index].Status != RestRecordingStatus.Stopped ? _all[index] : null;
        }
    }

    /// <summary>The session with this SID, else the latest one with this name; null when none.</summary>
    public RecordingResource? Find(string sidOrName)
    {
        lock (_sync)
        {
            return Find(_all, sidOrName);
        }
    }

    /// <summary>The session in <paramref name="sessions"/> (oldest first) with this SID, else the latest one with this name; null when none.</summary>
    public static RecordingResource? Find(IReadOnlyList<RecordingResource> sessions, string sidOrName) =>
        sessions.FirstOrDefault(r => r.Sid == sidOrName) ?? sessions.LastOrDefault(r => r.Name == sidOrName);

    /// <summary>A new session for a start that is about to run (not listed until it ends one way or the other).</summary>
    public RecordingResource Begin(RecordingControlRequest request, RecordingRequestOptions options)
    {
        var now = _time.GetUtcNow();
        return new RecordingResource(RecordingSids.New(), _accountSid, _callSid, options.Name, RestRecordingStatus.InProgress, request.Track,
            now, now, null, null, null, options);
    }

    /// <summary>The start succeeded: listed and active, in progress, with a recorder per SRS <paramref name="outcomes"/> names.</summary>
    public RecordingResource Started(RecordingResource pending, IReadOnlyList<SrsOutcome> outcomes)
    {
        var now = _time.GetUtcNow();
        var started = pending with { Status = RestRecordingStatus.InProgress, StartTime = now, DateUpdated = now, Recorders = RecordersOf(outcomes) };
        lock (_sync)
        {
            _all.Add(started);
        }
        _metrics?.RecordingActive(1);
        Report(started, RecordingStatusChange.Started);
        return started;
    }

    /// <summary>The start failed: listed as stopped with the §4.2 code and text, and its recorders when it ran.</summary>
    public RecordingResource StartFailed(RecordingResource pending, int code, string? text, IReadOnlyList<SrsOutcome>? outcomes = null)
    {
        var failed = pending with
        {
            Status = RestRecordingStatus.Stopped, DateUpdated = _time.GetUtcNow(), ErrorCode = code, ErrorText = text,
            Recorders = outcomes is null ? [] : RecordersOf(outcomes),
        };
        lock (_sync)
        {
            _all.Add(failed);
        }
        Report(failed, RecordingStatusChange.Error);
        return failed;
    }

    /// <summary>Session <paramref name="sid"/> is now paused or in progress again; null when it is not active.</summary>
    public RecordingResource? SetStatus(string sid, string status)
    {
        lock (_sync)
        {
            var index = ActiveIndex(sid);
            if (index < 0) return null;
            var updated = _all[index] with { Status = status, DateUpdated = _time.GetUtcNow() };
            _all[index] = updated;
            return updated;
        }
    }

    /// <summary>A recorder of session <paramref name="sid"/> that was pending has been accepted; null when the session is not active.</summary>
    public RecordingResource? RecorderStarted(string sid, string srsUri) =>
        UpdateRecorder(sid, srsUri, RecorderResource.Pending, r => r with { Status = RecorderResource.Active });

    /// <summary>
    /// A recorder of session <paramref name="sid"/> failed (refused late, or ended against the SRC's will) while the session
    /// goes on or is about to fail as a whole. With <paramref name="report"/>, a <c>siprec-error</c> naming it and
    /// <paramref name="errorCode"/> is reported; the session stays in progress. Null when the session is not active.
    /// </summary>
    public RecordingResource? RecorderFailed(string sid, string srsUri, int errorCode, string errorText, bool report, bool failingOver = false)
    {
        var updated = UpdateRecorder(sid, srsUri, null, r => r with { Status = RecorderResource.Failed, ErrorCode = errorCode, ErrorText = errorText });
        if (updated is not null && report)
        {
            var alive = updated.Recorders.Count(r => r.Status == RecorderResource.Active);
            var text = RecordingErrorTexts.Printable($"recorder {PrintableUri(srsUri)} failed: {errorText}; recording goes on with {alive} recorder(s)"
                + (failingOver ? ", failing over to a standby" : ""));
            _sink?.Invoke(new RecordingStatusChange(updated, RecordingStatusChange.Error) { ErrorCode = errorCode, ErrorText = text });
        }
        return updated;
    }

    /// <summary>
    /// A failover sent its INVITE to a standby for the failed recorder <paramref name="replaces"/>: the standby is listed
    /// <c>pending</c> after the session's recorders, with <c>replaces</c>. Null when the session is not active.
    /// </summary>
    public RecordingResource? StandbyTried(string sid, string standbyUri, string replaces)
    {
        lock (_sync)
        {
            var index = ActiveIndex(sid);
            if (index < 0) return null;
            var current = _all[index];
            var standby = new RecorderResource(PrintableUri(standbyUri), RecorderResource.Pending, null, null) { Replaces = PrintableUri(replaces) };
            var updated = current with { Recorders = [.. current.Recorders, standby], DateUpdated = _time.GetUtcNow() };
            _all[index] = updated;
            return updated;
        }
    }

    /// <summary>A pending standby accepted in place of a failed recorder: <c>active</c>, with the gap in <c>gap_ms</c>. Null when the session is not active.</summary>
    public RecordingResource? StandbyActive(string sid, string standbyUri, long gapMs) =>
        UpdateRecorder(sid, standbyUri, RecorderResource.Pending, r => r with { Status = RecorderResource.Active, GapMs = gapMs });

    /// <summary>
    /// Session <paramref name="sid"/> ended: stopped by request or call end (<paramref name="errorText"/> null), or failed on
    /// its own (every recorder gone). Null when it was not active (ended already: an end is reported once).
    /// </summary>
    public RecordingResource? End(string sid, int? errorCode = null, string? errorText = null)
    {
        RecordingResource ended;
        lock (_sync)
        {
            var index = ActiveIndex(sid);
            if (index < 0) return null;
            var current = _all[index];
            ended = current with
            {
                Status = RestRecordingStatus.Stopped,
                DateUpdated = _time.GetUtcNow(),
                ErrorCode = errorCode,
                ErrorText = errorText,
                Recorders = current.Recorders.Select(r => r.Status == RecorderResource.Failed ? r : r with { Status = RecorderResource.Stopped }).ToList(),
            };
            _all[index] = ended;
        }
        _metrics?.RecordingActive(-1);
        Report(ended, errorText is null ? RecordingStatusChange.Stopped : RecordingStatusChange.Error);
        return ended;
    }

    /// <summary>Ends every active session (the call ended); returns them as ended.</summary>
    public IReadOnlyList<RecordingResource> EndAll() => Active.Select(r => End(r.Sid)).OfType<RecordingResource>().ToList();

    // Under _sync.
    private int IndexOf(string sid) => _all.FindIndex(r => r.Sid == sid);

    // Under _sync: the index of session `sid` while it is active, else -1.
    private int ActiveIndex(string sid)
    {
        var index = IndexOf(sid);
        return index >= 0 && _all[index].Status != RestRecordingStatus.Stopped ? index : -1;
    }

    // Updates the first recorder with this URI (and status, when given; else the first not yet failed) of active session `sid`.
    private RecordingResource? UpdateRecorder(string sid, string srsUri, string? status, Func<RecorderResource, RecorderResource> change)
    {
        var uri = PrintableUri(srsUri);
        lock (_sync)
        {
            var index = ActiveIndex(sid);
            if (index < 0) return null;
            var current = _all[index];
            var recorders = current.Recorders.ToList();
            var at = recorders.FindIndex(r => r.SrsUri == uri && (status is null ? r.Status != RecorderResource.Failed : r.Status == status));
            if (at < 0) return current;
            recorders[at] = change(recorders[at]);
            var updated = current with { Recorders = recorders, DateUpdated = _time.GetUtcNow() };
            _all[index] = updated;
            return updated;
        }
    }

    private static List<RecorderResource> RecordersOf(IReadOnlyList<SrsOutcome> outcomes) => outcomes.Select(o => o.Kind switch
    {
        SrsOutcomeKind.Accepted => new RecorderResource(PrintableUri(o.SrsUri), RecorderResource.Active, null, null),
        SrsOutcomeKind.Pending => new RecorderResource(PrintableUri(o.SrsUri), RecorderResource.Pending, null, null),
        _ => new RecorderResource(PrintableUri(o.SrsUri), RecorderResource.Failed, o.StatusCode ?? 503, RecordingErrorTexts.Printable(o.Detail)),
    }).ToList();

    /// <summary>The SRS URI as the REST API and callbacks show it: without a password (RFC 3261 §19.1.1 deprecates it anyway).</summary>
    public static string PrintableUri(string srsUri) =>
        SipUri.TryParse(srsUri, out var uri) && uri is { Password: not null } ? (uri with { Password = null }).ToString() : RecordingErrorTexts.Printable(srsUri);

    private void Report(RecordingResource resource, string statusEvent) => _sink?.Invoke(new RecordingStatusChange(resource, statusEvent));
}
