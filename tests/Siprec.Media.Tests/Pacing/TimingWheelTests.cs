using Siprec.Media.Pacing;

namespace Siprec.Media.Tests.Pacing;

/// <summary>The hashed timing wheel under the media clock, turned by hand (timestamps are plain numbers: 10 units per tick).</summary>
public sealed class TimingWheelTests
{
    private const long Tick = 10;

    [Fact]
    public void AStream_FiresAtTheFirstTickAtOrAfterItsDueTime_NeverEarlier()
    {
        var wheel = new TimingWheel(origin: 1000, resolution: Tick);
        var stream = new Periodic(period: 200);
        wheel.Schedule(stream, due: 1015); // between ticks 1 and 2: fires at tick 2 (1020)

        Assert.Equal(0, wheel.Advance(1019));
        Assert.Empty(stream.Calls);
        Assert.Equal(1, wheel.Advance(1020));
        Assert.Equal([1020L], stream.Calls);
        Assert.Equal(1, wheel.Count); // back in, due at 1020 + 200
        Assert.Equal(0, wheel.Advance(1219));
        Assert.Equal(1, wheel.Advance(1220));
        Assert.Equal([1020L, 1220L], stream.Calls);
    }

    [Fact]
    public void ManyStreams_EachFiresOncePerPeriod_InDueOrderWithinATurn()
    {
        var wheel = new TimingWheel(0, Tick);
        var order = new List<int>();
        var streams = Enumerable.Range(0, 100).Select(i => new Periodic(200, () => order.Add(i))).ToList();
        for (int i = 0; i < streams.Count; i++) wheel.Schedule(streams[i], due: 100 - i); // reverse order of index

        for (long now = 0; now <= 1000; now += Tick) wheel.Advance(now);

        // Due 1..100, then every 200 units: 5 or 6 calls each up to 1000.
        Assert.All(streams, s => Assert.InRange(s.Calls.Count, 5, 6));
        var firstTicks = order.Take(100).Select(i => (100 - i + Tick - 1) / Tick).ToList();
        Assert.Equal(firstTicks.Order(), firstTicks); // the first calls come in due-tick order
        Assert.All(streams, s => Assert.All(s.Calls.Zip(s.Calls.Skip(1)), p => Assert.Equal(200, p.Second - p.First)));
    }

    [Fact]
    public void AfterAStallLongerThanATurn_EveryDueStreamFiresOnce_AndStreamsDueLaterWait()
    {
        var wheel = new TimingWheel(0, Tick);
        var soon = new Periodic(200);
        var far = new Periodic(200);
        wheel.Schedule(soon, 50);
        wheel.Schedule(far, (TimingWheel.SlotCount * 3 * Tick) + 50); // three turns ahead, same slot as 'soon'

        Assert.Equal(1, wheel.Advance(TimingWheel.SlotCount * 2 * Tick)); // a stall of two turns
        Assert.Single(soon.Calls);
        Assert.Empty(far.Calls);
        wheel.Advance((TimingWheel.SlotCount * 3 * Tick) + 49);
        Assert.Empty(far.Calls);
        wheel.Advance((TimingWheel.SlotCount * 3 * Tick) + 50);
        Assert.Single(far.Calls);
    }

    [Fact]
    public void AStreamThatStops_LeavesTheWheel_AndOneThatThrows_IsReportedAndLeaves()
    {
        var wheel = new TimingWheel(0, Tick);
        var errors = new List<Exception>();
        var stopping = new Periodic(20) { StopAfter = 2 };
        var failing = new Periodic(20) { Throw = true };
        wheel.Schedule(stopping, 0);
        wheel.Schedule(failing, 0);

        for (long now = 0; now <= 200; now += Tick) wheel.Advance(now, errors.Add);

        Assert.Equal(2, stopping.Calls.Count);
        Assert.Single(failing.Calls);
        Assert.IsType<InvalidOperationException>(Assert.Single(errors));
        Assert.Equal(0, wheel.Count);
        Assert.Null(wheel.NextDue());
    }

    [Fact]
    public void NextDue_IsTheEarliestTickBoundaryOfAnyWaitingStream()
    {
        var wheel = new TimingWheel(0, Tick);
        wheel.Schedule(new Periodic(20), 95);
        wheel.Schedule(new Periodic(20), 41);
        Assert.Equal(50, wheel.NextDue());
    }

    private sealed class Periodic(long period, Action? onCall = null) : IPacedStream
    {
        public List<long> Calls { get; } = [];

        public int StopAfter { get; init; } = int.MaxValue;

        public bool Throw { get; init; }

        public long OnDue(long now)
        {
            Calls.Add(now);
            onCall?.Invoke();
            if (Throw) throw new InvalidOperationException("stream bug");
            return Calls.Count >= StopAfter ? MediaClock.Stop : now + period;
        }
    }
}
