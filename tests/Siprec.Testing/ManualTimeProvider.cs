namespace Siprec.Testing;

/// <summary>
/// A fake clock for tests: time moves only when <see cref="Advance"/> is called, and timers created
/// through <see cref="CreateTimer"/> fire synchronously, in due order, as the clock passes them.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = new();
    private DateTimeOffset _now;
    private long _timestamp;

    /// <summary>Creates a clock that starts at <paramref name="start"/> (default 2026-01-01T00:00:00Z).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate) return _timestamp;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, earliest first.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delta), "time cannot go back");
        DateTimeOffset target;
        lock (_gate) target = _now + delta;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueAt is not null && t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (next is null)
                {
                    _timestamp += (target - _now).Ticks;
                    _now = target;
                    return;
                }
                _timestamp += (next.DueAt!.Value - _now).Ticks;
                _now = next.DueAt!.Value;
                next.Reschedule(_now);
            }
            next.Fire();
        }
    }

    /// <summary>Number of timers currently scheduled to fire.</summary>
    public int ActiveTimerCount
    {
        get { lock (_gate) return _timers.Count(t => t.DueAt is not null); }
    }

    /// <summary>
    /// When each armed timer falls due next, earliest first (a timer armed twice for the same instant appears twice): lets
    /// a test wait, by bounded polling, until the code under test has armed a wait (e.g. a back-off) and then advance the
    /// clock exactly to it, instead of sleeping or stepping blindly.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> PendingDueTimes
    {
        get { lock (_gate) return _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt!.Value).Order().ToList(); }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            }
            return true;
        }

        public void Reschedule(DateTimeOffset now)
        {
            DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : now + _period;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate) DueAt = null;
            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
