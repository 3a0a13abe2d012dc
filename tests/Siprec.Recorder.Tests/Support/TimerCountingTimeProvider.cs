using System.Collections.Concurrent;
using Siprec.Testing;

namespace Siprec.Recorder.Tests.Support;

/// <summary>A <see cref="ManualTimeProvider"/> that also counts the timers created, by the type of their state object.</summary>
internal sealed class TimerCountingTimeProvider : TimeProvider
{
    private readonly ManualTimeProvider _inner = new();
    private readonly ConcurrentDictionary<string, int> _created = new();

    /// <summary>Timers created so far whose state is a <typeparamref name="T"/>.</summary>
    public int CreatedFor<T>() => _created.GetValueOrDefault(typeof(T).Name);

    /// <summary>Moves the clock on, firing the timers due.</summary>
    public void Advance(TimeSpan delta) => _inner.Advance(delta);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

    /// <inheritdoc />
    public override long TimestampFrequency => _inner.TimestampFrequency;

    /// <inheritdoc />
    public override long GetTimestamp() => _inner.GetTimestamp();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _created.AddOrUpdate(state?.GetType().Name ?? "null", 1, (_, n) => n + 1);
        return _inner.CreateTimer(callback, state, dueTime, period);
    }
}
