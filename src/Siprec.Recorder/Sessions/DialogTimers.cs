namespace Siprec.Recorder.Sessions;

/// <summary>
/// The timers that end a recording dialog the SRC abandoned: the missing-ACK watch (RFC 3261 §13.3.1.4) and the session
/// timer (RFC 4028 §10), with the SRS's own refreshes when it is the refresher. Thread-safe; after
/// <see cref="DisposeAsync"/> nothing fires and nothing can be armed.
/// </summary>
internal sealed class DialogTimers : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private ITimer? _ack;
    private ITimer? _expiry;
    private ITimer? _refresh;
    private bool _acknowledged;
    private bool _closed;

    public DialogTimers(TimeProvider time) => _time = time;

    /// <summary>True once the ACK for the initial 200 OK arrived.</summary>
    public bool IsAcknowledged { get { lock (_gate) return _acknowledged; } }

    /// <summary>Without an ACK within <paramref name="timeout"/>, <paramref name="onMissingAck"/> runs once.</summary>
    public void ArmAckTimeout(TimeSpan timeout, Action onMissingAck)
    {
        lock (_gate)
        {
            if (_closed || _ack is not null || _acknowledged) return;
            _ack = _time.CreateTimer(static s => ((Action)s!)(), onMissingAck, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The ACK arrived: the dialog is confirmed and the watch stops.</summary>
    public void MarkAcknowledged()
    {
        lock (_gate)
        {
            _acknowledged = true;
            _ack?.Dispose();
            _ack = null;
        }
    }

    /// <summary>
    /// (Re)arms the session timer after a session refresh (RFC 4028 §10). With the SRC as refresher the SRS gives up
    /// min(32, interval/3) seconds before expiry and <paramref name="onExpired"/> runs; with the SRS as refresher
    /// (<paramref name="refresh"/> given) it refreshes at half the interval and the refresh's own outcome decides.
    /// Null or 0 disarms both.
    /// </summary>
    public void ArmExpiry(int? sessionExpiresSeconds, Action onExpired, Action? refresh = null)
    {
        lock (_gate)
        {
            _expiry?.Dispose();
            _refresh?.Dispose();
            _expiry = _refresh = null;
            if (_closed || sessionExpiresSeconds is not > 0) return;
            var interval = sessionExpiresSeconds.Value;
            if (refresh is not null)
            {
                _refresh = _time.CreateTimer(static s => ((Action)s!)(), refresh, TimeSpan.FromSeconds(interval / 2.0), Timeout.InfiniteTimeSpan);
                return;
            }
            var due = TimeSpan.FromSeconds(interval - Math.Min(32, interval / 3.0));
            _expiry = _time.CreateTimer(static s => ((Action)s!)(), onExpired, due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops every timer; later arming does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        ITimer?[] timers;
        lock (_gate)
        {
            _closed = true;
            timers = [_ack, _expiry, _refresh];
            _ack = _expiry = _refresh = null;
        }
        foreach (var timer in timers)
            if (timer is not null) await timer.DisposeAsync().ConfigureAwait(false);
    }
}
