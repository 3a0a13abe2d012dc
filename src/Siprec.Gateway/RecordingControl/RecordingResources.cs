using Siprec.Control;
using Siprec.Gateway.Observability;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The SIPREC sessions of one call as resources (DESIGN §4.4): every start, successful or not, becomes one; at most one
/// is current (in progress or paused). Each status change is counted in the metrics and reported to the status sink,
/// which must not block (callbacks are queued, never sent on the call's path). Thread-safe.
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
    private int _current = -1;

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

    /// <summary>The session in progress or paused; null when none.</summary>
    public RecordingResource? Current
    {
        get { lock (_sync) return _current < 0 ? null : _all[_current]; }
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

    /// <summary>The start succeeded: listed and current, in progress.</summary>
    public RecordingResource Started(RecordingResource pending)
    {
        var now = _time.GetUtcNow();
        var started = pending with { Status = RestRecordingStatus.InProgress, StartTime = now, DateUpdated = now };
        lock (_sync)
        {
            _all.Add(started);
            _current = _all.Count - 1;
        }
        _metrics?.RecordingActive(1);
        Report(started, RecordingStatusChange.Started);
        return started;
    }

    /// <summary>The start failed: listed as stopped with the §4.2 code and text.</summary>
    public RecordingResource StartFailed(RecordingResource pending, int code, string? text)
    {
        var failed = pending with { Status = RestRecordingStatus.Stopped, DateUpdated = _time.GetUtcNow(), ErrorCode = code, ErrorText = text };
        lock (_sync)
        {
            _all.Add(failed);
        }
        Report(failed, RecordingStatusChange.Error);
        return failed;
    }

    /// <summary>The current session is now paused or in progress again; null when there is none.</summary>
    public RecordingResource? SetStatus(string status)
    {
        lock (_sync)
        {
            if (_current < 0) return null;
            var updated = _all[_current] with { Status = status, DateUpdated = _time.GetUtcNow() };
            _all[_current] = updated;
            return updated;
        }
    }

    /// <summary>
    /// The current session ended: stopped by request or call end (<paramref name="errorText"/> null), or failed on its
    /// own (every recorder gone). Null when nothing was current.
    /// </summary>
    public RecordingResource? End(int? errorCode = null, string? errorText = null)
    {
        RecordingResource ended;
        lock (_sync)
        {
            if (_current < 0) return null;
            ended = _all[_current] with
            {
                Status = RestRecordingStatus.Stopped,
                DateUpdated = _time.GetUtcNow(),
                ErrorCode = errorCode,
                ErrorText = errorText,
            };
            _all[_current] = ended;
            _current = -1;
        }
        _metrics?.RecordingActive(-1);
        Report(ended, errorText is null ? RecordingStatusChange.Stopped : RecordingStatusChange.Error);
        return ended;
    }

    private void Report(RecordingResource resource, string statusEvent) => _sink?.Invoke(new RecordingStatusChange(resource, statusEvent));
}
