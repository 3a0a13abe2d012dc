namespace Siprec.Media.Pacing;

/// <summary>
/// A hashed timing wheel (Varghese and Lauck): <see cref="SlotCount"/> slots of one resolution each; a stream due at tick
/// T waits in slot T mod <see cref="SlotCount"/> and fires when the wheel has turned to T, so scheduling and firing cost
/// O(1) whatever the number of streams. Streams due further than one turn ahead stay in their slot for more turns. Fired
/// streams are called outside the lock. Thread-safe; <see cref="Advance"/> is called by one driver at a time.
/// </summary>
internal sealed class TimingWheel
{
    /// <summary>Slots per turn: 256 ticks of 1 ms cover a 20 ms packet interval many times over.</summary>
    public const int SlotCount = 256;
    private const int Mask = SlotCount - 1;

    private readonly object _gate = new();
    private readonly List<Entry>[] _slots = new List<Entry>[SlotCount];
    private readonly List<Entry> _firing = [];
    private readonly long _origin;
    private readonly long _resolution;
    private long _turnedTo = -1; // no tick turned yet: a stream due at the origin fires at tick 0
    private int _count;

    /// <param name="origin">The timestamp of tick 0.</param>
    /// <param name="resolution">Timestamp units per tick (e.g. <see cref="TimeProvider.TimestampFrequency"/> / 1000 for 1 ms).</param>
    public TimingWheel(long origin, long resolution)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolution);
        _origin = origin;
        _resolution = resolution;
        for (int i = 0; i < SlotCount; i++) _slots[i] = [];
    }

    /// <summary>Streams waiting in the wheel.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Puts <paramref name="stream"/> in the slot of the first tick at or after <paramref name="due"/> (at the earliest the next tick).</summary>
    /// <returns>True when the wheel was empty before (a sleeping driver should wake).</returns>
    public bool Schedule(IPacedStream stream, long due)
    {
        lock (_gate)
        {
            Insert(new Entry(stream, TickOf(due)));
            return _count == 1;
        }
    }

    /// <summary>
    /// Turns the wheel to the tick of <paramref name="now"/>, calling every stream due by then (each once, in tick order
    /// within a turn) and putting it back at the time it returns.
    /// </summary>
    /// <param name="now">The current timestamp.</param>
    /// <param name="onError">Told about a stream that threw; the stream leaves the wheel.</param>
    /// <returns>Streams called.</returns>
    public int Advance(long now, Action<Exception>? onError = null)
    {
        long target = Math.Max(0, (now - _origin) / _resolution);
        lock (_gate)
        {
            if (target <= _turnedTo) return 0;
            // After a long stall a whole turn visits every slot once; later ticks add nothing.
            long from = Math.Max(_turnedTo + 1, target - Mask);
            for (long tick = from; tick <= target; tick++)
            {
                var slot = _slots[tick & Mask];
                for (int i = slot.Count - 1; i >= 0; i--)
                {
                    if (slot[i].Tick > target) continue;
                    _firing.Add(slot[i]);
                    slot[i] = slot[^1];
                    slot.RemoveAt(slot.Count - 1);
                }
            }
            _turnedTo = target;
            _count -= _firing.Count;
        }

        // Only the driver runs Advance, so _firing is its own; streams are called without the lock so they may schedule.
        int fired = _firing.Count;
        _firing.Sort(static (a, b) => a.Tick.CompareTo(b.Tick));
        foreach (var entry in _firing)
        {
            long next;
            try
            {
                next = entry.Stream.OnDue(now);
            }
            catch (Exception ex)
            {
                onError?.Invoke(ex);
                continue;
            }
            if (next != MediaClock.Stop) Schedule(entry.Stream, next);
        }
        _firing.Clear();
        return fired;
    }

    /// <summary>The earliest timestamp some stream is due at (a driver with a one-shot timer sleeps until then); null when empty.</summary>
    public long? NextDue()
    {
        lock (_gate)
        {
            if (_count == 0) return null;
            long min = long.MaxValue;
            foreach (var slot in _slots)
            {
                foreach (var entry in slot) min = Math.Min(min, entry.Tick);
            }
            return _origin + (min * _resolution);
        }
    }

    private long TickOf(long due)
    {
        long offset = due - _origin;
        long tick = offset <= 0 ? 0 : (offset + _resolution - 1) / _resolution;
        return Math.Max(tick, _turnedTo + 1);
    }

    private void Insert(Entry entry)
    {
        _slots[entry.Tick & Mask].Add(entry);
        _count++;
    }

    private readonly record struct Entry(IPacedStream Stream, long Tick);
}
