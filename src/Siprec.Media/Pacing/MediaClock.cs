using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Media.Pacing;

/// <summary>
/// One clock for every paced media stream of the process (the bots' RTP, prompt playout): a few timing wheels, each turned
/// by one dedicated thread, instead of one timer per call. At 1,000 calls a timer per call means 50,000 timer callbacks a
/// second scheduled through the thread pool; here two threads wake once per millisecond and send what is due.
/// </summary>
/// <remarks>
/// Streams get the clock of their <see cref="TimeProvider"/> from <see cref="For"/>: the system clock has one shared
/// instance with dedicated threads; any other provider (a test's fake clock) gets its own instance driven by that
/// provider's timers, so tests advance time instead of sleeping.
/// </remarks>
public sealed class MediaClock : IDisposable
{
    /// <summary>What <see cref="IPacedStream.OnDue"/> returns to leave the clock.</summary>
    internal const long Stop = long.MinValue;

    private static readonly ConditionalWeakTable<TimeProvider, MediaClock> Clocks = new();
    private static readonly Lazy<MediaClock> SystemClock = new(() => new MediaClock(TimeProvider.System, null, null));

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Wheel[] _wheels;
    private readonly bool _threads;
    private int _next;
    private volatile bool _disposed;

    /// <summary>Creates a clock on <paramref name="time"/>; with dedicated threads they start now.</summary>
    /// <param name="time">The clock's time source.</param>
    /// <param name="options">Resolution, wheels, driver; null for the defaults.</param>
    /// <param name="logger">Told about a stream that threw (it leaves the clock); null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> does not validate.</exception>
    public MediaClock(TimeProvider time, MediaClockOptions? options, ILogger<MediaClock>? logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        options ??= new MediaClockOptions();
        options.Validate();
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _threads = options.DedicatedThreads ?? ReferenceEquals(time, TimeProvider.System);
        long resolution = Math.Max(1, (long)(options.Resolution.Ticks * (decimal)time.TimestampFrequency / TimeSpan.TicksPerSecond));
        long origin = time.GetTimestamp();
        _wheels = new Wheel[options.Wheels];
        for (int i = 0; i < _wheels.Length; i++)
        {
            _wheels[i] = new Wheel(new TimingWheel(origin, resolution));
            if (_threads)
            {
                _wheels[i].Thread = new Thread(RunWheel) { IsBackground = true, Name = $"media-clock-{i}", Priority = ThreadPriority.AboveNormal };
                _wheels[i].Thread!.Start(_wheels[i]);
            }
            else
            {
                _wheels[i].Timer = time.CreateTimer(static s => ((Wheel)s!).Owner!.OnTimer((Wheel)s), _wheels[i], Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            _wheels[i].Owner = this;
        }
    }

    /// <summary>The clock streams on <paramref name="time"/> share: one per provider, the system clock's with dedicated threads.</summary>
    public static MediaClock For(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return ReferenceEquals(time, TimeProvider.System) ? SystemClock.Value : Clocks.GetValue(time, static t => new MediaClock(t, null, null));
    }

    /// <summary>The clock's time source.</summary>
    public TimeProvider Time => _time;

    /// <summary>Streams waiting on the clock.</summary>
    public int StreamCount => _wheels.Sum(w => w.Timing.Count);

    /// <summary>Streams called so far (each call may send several packets).</summary>
    public long StreamsFired => _wheels.Sum(w => Interlocked.Read(ref w.Fired));

    /// <summary>Stops the threads or timers; streams still waiting are not called again. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var wheel in _wheels)
        {
            wheel.Timer?.Dispose();
            wheel.Wake.Set();
            if (wheel.Thread is { } thread && thread != Thread.CurrentThread) thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Adds a stream, first due at <paramref name="due"/> (a timestamp of <see cref="Time"/>); it stays until it returns <see cref="Stop"/>.</summary>
    /// <exception cref="ObjectDisposedException">The clock is disposed.</exception>
    internal void Schedule(IPacedStream stream, long due)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var wheel = _wheels[(int)((uint)Interlocked.Increment(ref _next) % (uint)_wheels.Length)];
        bool wasEmpty = wheel.Timing.Schedule(stream, due);
        if (_threads)
        {
            if (wasEmpty) wheel.Wake.Set();
        }
        else
        {
            Arm(wheel);
        }
    }

    private void RunWheel(object? state)
    {
        var wheel = (Wheel)state!;
        while (!_disposed)
        {
            if (wheel.Timing.Count == 0)
            {
                // Bounded so a lost wake-up costs at most a second; Schedule sets the event when the wheel fills.
                wheel.Wake.Wait(TimeSpan.FromSeconds(1));
                wheel.Wake.Reset();
                continue;
            }
            Turn(wheel);
            Thread.Sleep(1);
        }
    }

    private void OnTimer(Wheel wheel)
    {
        if (_disposed) return;
        lock (wheel.DriverGate)
        {
            Turn(wheel);
        }
        Arm(wheel);
    }

    private void Turn(Wheel wheel)
    {
        int fired = wheel.Timing.Advance(_time.GetTimestamp(), ex => Log.StreamFailed(_logger, ex));
        Interlocked.Add(ref wheel.Fired, fired);
    }

    // Timer driver: one one-shot timer per wheel, at its earliest due stream.
    private void Arm(Wheel wheel)
    {
        if (_disposed || wheel.Timer is null) return;
        var due = wheel.Timing.NextDue();
        if (due is null) return;
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), due.Value);
        wheel.Timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private sealed class Wheel(TimingWheel timing)
    {
        public TimingWheel Timing { get; } = timing;
        public ManualResetEventSlim Wake { get; } = new(false);
        public object DriverGate { get; } = new();
        public MediaClock? Owner { get; set; }
        public Thread? Thread { get; set; }
        public ITimer? Timer { get; set; }
        public long Fired;
    }
}
