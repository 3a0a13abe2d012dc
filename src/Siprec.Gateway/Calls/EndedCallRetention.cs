using Siprec.Control;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Calls;

/// <summary>
/// Keeps ended calls' SIPREC sessions readable by the REST API (DESIGN §4.4) for <see cref="EndedCallRetentionOptions.Time"/>,
/// at most <see cref="EndedCallRetentionOptions.MaxCalls"/> of them, the oldest dropped first. Expired calls are dropped
/// when the store is next used, so no timer runs; every operation holds a short lock and is O(1) amortised, so the
/// call path never waits on it. Thread-safe.
/// </summary>
internal sealed class EndedCallRetention
{
    private readonly EndedCallRetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly object _sync = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _bySid = new(StringComparer.Ordinal);
    // Oldest first: calls are added as they end, so both the time and the count bound drop from the front.
    private readonly LinkedList<Entry> _byAge = new();

    /// <param name="options">The time and count bounds; validated by the caller.</param>
    /// <param name="time">The clock the time bound is measured on (its monotonic timestamp).</param>
    public EndedCallRetention(EndedCallRetentionOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Ended calls kept now (expired ones still count until the store is next used).</summary>
    public int Count
    {
        get { lock (_sync) return _byAge.Count; }
    }

    /// <summary>
    /// Keeps a call that was just torn down. A session still current is shown stopped as of now; the sessions' start
    /// settings (callback URL, connector credentials) are not kept. Calls without an account are not kept.
    /// </summary>
    /// <param name="callSid">The call's SID.</param>
    /// <param name="accountSid">The call's account; null: not kept.</param>
    /// <param name="sessions">The call's SIPREC sessions, oldest first.</param>
    /// <param name="parties">The call's From and To URIs and when it was answered, for the REST Calls resource; null keeps none.</param>
    public void Retain(string callSid, string? accountSid, IReadOnlyList<RecordingResource> sessions,
                       (string From, string To, DateTimeOffset Started)? parties = null)
    {
        if (accountSid is null || _options.MaxCalls == 0 || _options.Time <= TimeSpan.Zero)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var final = sessions.Select(s => Final(s, now)).ToArray();
        var call = new EndedCall(callSid, accountSid, final, now)
        {
            From = parties?.From ?? "", To = parties?.To ?? "", Started = parties?.Started,
        };
        var entry = new Entry(call, _time.GetTimestamp());
        lock (_sync)
        {
            if (_bySid.Remove(callSid, out var previous))
            {
                _byAge.Remove(previous);
            }
            _bySid[callSid] = _byAge.AddLast(entry);
            while (_byAge.Count > _options.MaxCalls)
            {
                DropOldest();
            }
            DropExpired();
        }
    }

    /// <summary>The ended call with this SID still kept; null when none (never ended, not kept, or dropped).</summary>
    public EndedCall? Find(string callSid)
    {
        lock (_sync)
        {
            DropExpired();
            return _bySid.TryGetValue(callSid, out var node) ? node.Value.Call : null;
        }
    }

    /// <summary>Every ended call still kept, oldest first.</summary>
    public IReadOnlyList<EndedCall> All
    {
        get
        {
            lock (_sync)
            {
                DropExpired();
                return _byAge.Select(e => e.Call).ToList();
            }
        }
    }

    private static RecordingResource Final(RecordingResource session, DateTimeOffset now) =>
        session.Status == RestRecordingStatus.Stopped
            ? session with { Options = RecordingRequestOptions.None }
            : session with { Status = RestRecordingStatus.Stopped, DateUpdated = now, Options = RecordingRequestOptions.None };

    private void DropExpired()
    {
        while (_byAge.First is { } oldest && _time.GetElapsedTime(oldest.Value.RetainedAt) >= _options.Time)
        {
            DropOldest();
        }
    }

    private void DropOldest()
    {
        var oldest = _byAge.First!;
        _byAge.RemoveFirst();
        _bySid.Remove(oldest.Value.Call.CallSid);
    }

    private readonly record struct Entry(EndedCall Call, long RetainedAt);
}
