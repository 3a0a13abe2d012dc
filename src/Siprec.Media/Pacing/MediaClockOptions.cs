namespace Siprec.Media.Pacing;

/// <summary>Settings of a <see cref="MediaClock"/>.</summary>
/// <remarks>
/// Defaults: 1 ms resolution; one wheel per two cores (at least 1, at most 4: a wheel's thread also forwards the bot's packets
/// to every recorder, one send each, so one thread for all calls saturates first on a large machine; the other cores are
/// left to signalling, see <see cref="Threading.MediaThreads"/>); dedicated threads only on the system clock
/// (another <see cref="TimeProvider"/>, e.g. a test's fake clock, drives each wheel with one of its own timers instead).
/// </remarks>
public sealed record MediaClockOptions
{
    /// <summary>Tick length: a stream fires at the first tick at or after its due time, never earlier. Default 1 ms; 100 µs to 10 ms.</summary>
    public TimeSpan Resolution { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Wheels, each with its own thread (streams are spread over them in turn). Default: half the cores, 1 to 4.</summary>
    public int Wheels { get; init; } = Threading.MediaThreads.PerEngine;

    /// <summary>
    /// True: each wheel turns on a dedicated above-normal-priority thread that sleeps one tick at a time while streams wait
    /// (and not at all when none do). False: each wheel is driven by one <see cref="TimeProvider.CreateTimer"/> timer set to
    /// its earliest due stream. Null (the default): true on <see cref="TimeProvider.System"/>, false otherwise.
    /// </summary>
    public bool? DedicatedThreads { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Resolution outside 100 µs–10 ms, or wheels outside 1–64.</exception>
    public void Validate()
    {
        if (Resolution < TimeSpan.FromTicks(1000) || Resolution > TimeSpan.FromMilliseconds(10))
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, "must be 100 µs to 10 ms");
        if (Wheels is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(Wheels), Wheels, "must be 1 to 64");
    }
}
