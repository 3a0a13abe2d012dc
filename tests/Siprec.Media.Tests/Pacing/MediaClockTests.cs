using Siprec.Media.Pacing;
using Siprec.Testing;

namespace Siprec.Media.Tests.Pacing;

/// <summary>The shared media clock: one timer (fake clock) or one thread (system clock) per wheel, whatever the number of streams.</summary>
public sealed class MediaClockTests
{
    [Fact]
    public void OnAFakeClock_AThousandStreamsOf20Ms_AreDrivenByOneTimerPerWheel_EachOnSchedule()
    {
        var time = new ManualTimeProvider();
        using var clock = new MediaClock(time, new MediaClockOptions { Wheels = 2 }, null);
        var start = time.GetTimestamp();
        var streams = Enumerable.Range(0, 1000).Select(_ => new Counting(time, TimeSpan.FromMilliseconds(20))).ToList();
        foreach (var stream in streams) clock.Schedule(stream, start);

        Assert.Equal(2, time.ActiveTimerCount);
        for (int ms = 0; ms < 1000; ms++) time.Advance(TimeSpan.FromMilliseconds(1));

        // Due at 0, 20, … 1,000 ms: 51 calls each, never before their due time.
        Assert.All(streams, s => Assert.Equal(51, s.Calls));
        Assert.All(streams, s => Assert.Equal(0, s.Early));
        Assert.Equal(51_000, clock.StreamsFired);
        Assert.Equal(1000, clock.StreamCount);
        Assert.Equal(2, time.ActiveTimerCount);
    }

    [Fact]
    public void OnAFakeClock_ABigAdvance_FiresAtEveryDueTimeOnTheWay()
    {
        var time = new ManualTimeProvider();
        using var clock = new MediaClock(time, new MediaClockOptions { Wheels = 1 }, null);
        var stream = new Counting(time, TimeSpan.FromMilliseconds(20));
        clock.Schedule(stream, time.GetTimestamp());

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(501, stream.Calls); // 0, 20, … 10,000 ms: the timer is re-armed at each due time
        Assert.Equal(0, stream.Early);
        Assert.Equal(1, clock.StreamCount);
    }

    [Fact]
    public async Task OnTheSystemClock_ADedicatedThreadDrivesTheStreams()
    {
        using var clock = new MediaClock(TimeProvider.System, new MediaClockOptions { Wheels = 1 }, null);
        var stream = new Counting(TimeProvider.System, TimeSpan.FromMilliseconds(5));
        clock.Schedule(stream, TimeProvider.System.GetTimestamp());

        await Poll.UntilAsync(() => Volatile.Read(ref stream.CallsField) >= 10, TimeSpan.FromSeconds(10), "ten calls from the clock thread");
        Assert.Equal(0, stream.Early);
        Assert.StartsWith("media-clock-", stream.ThreadName, StringComparison.Ordinal);
    }

    [Fact]
    public void For_GivesOneClockPerTimeProvider()
    {
        var time = new ManualTimeProvider();
        Assert.Same(MediaClock.For(time), MediaClock.For(time));
        Assert.NotSame(MediaClock.For(time), MediaClock.For(new ManualTimeProvider()));
        Assert.Same(MediaClock.For(TimeProvider.System), MediaClock.For(TimeProvider.System));
    }

    private sealed class Counting(TimeProvider time, TimeSpan period) : IPacedStream
    {
        private long _due = long.MinValue;
        public int CallsField;

        public int Calls => Volatile.Read(ref CallsField);

        public int Early { get; private set; }

        public string? ThreadName { get; private set; }

        public long OnDue(long now)
        {
            if (_due != long.MinValue && time.GetTimestamp() < _due) Early++;
            Interlocked.Increment(ref CallsField);
            ThreadName = Thread.CurrentThread.Name;
            long step = (long)(period.Ticks * (decimal)time.TimestampFrequency / TimeSpan.TicksPerSecond);
            _due = (_due == long.MinValue ? now : _due) + step;
            return _due;
        }
    }
}
