using Siprec.Testing;

namespace Siprec.Recorder.Tests.Support;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that, once armed, holds the first <see cref="CreateTimer"/> call it matches until the
/// test opens the gate: it parks the code under test at a known point (e.g. inside <c>RecorderSession.Start</c>) so a race
/// with another request can be played in a fixed order instead of hoped for.
/// </summary>
internal sealed class GatedTimeProvider : TimeProvider
{
    /// <summary>How long a held call waits at most: a test that fails before opening the gate ends late instead of hanging.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _inner = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _gate = new(false);
    private Func<object?, TimeSpan, bool>? _match;

    /// <summary>Completes when a matching call is being held.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Holds the next call whose timer state and due time satisfy <paramref name="match"/>; later calls pass.</summary>
    public void Arm(Func<object?, TimeSpan, bool> match) => Volatile.Write(ref _match, match);

    /// <summary>Lets the held call (and any later one) go on.</summary>
    public void Release() => _gate.Set();

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
        if (Volatile.Read(ref _match) is { } match && match(state, dueTime) && Interlocked.CompareExchange(ref _match, null, match) == match)
        {
            _entered.TrySetResult();
            _gate.Wait(HoldLimit);
        }
        return _inner.CreateTimer(callback, state, dueTime, period);
    }
}
