namespace Siprec.Sip.Messages;

/// <summary>
/// Scratch space for the header lines <see cref="SipParser"/> reads: the name, where the value lies in the message
/// (or the joined value of a folded header) and the line offset, for error reports. Cached per thread; value strings
/// are created only once, straight into the exactly sized header array, so the long-lived scratch arrays never hold
/// young strings. Rent, use on the same thread, Return once.
/// </summary>
internal struct SipHeaderBuffer
{
    private const int InitialCapacity = 32;
    private const int MaxCachedCapacity = 256;

    [ThreadStatic]
    private static Entry[]? t_entries;

    private Entry[] _entries;

    private SipHeaderBuffer(Entry[] entries)
    {
        _entries = entries;
        Count = 0;
    }

    /// <summary>The number of headers added.</summary>
    public int Count { get; private set; }

    /// <summary>This thread's cached buffer (taken, so a nested parse gets a fresh one), or a new one; grows on demand.</summary>
    public static SipHeaderBuffer Rent()
    {
        var entries = t_entries ?? new Entry[InitialCapacity];
        t_entries = null;
        return new SipHeaderBuffer(entries);
    }

    /// <summary>
    /// Appends one header line read at <paramref name="offset"/>: its value is <paramref name="folded"/> when not null,
    /// otherwise bytes <paramref name="valueStart"/> .. + <paramref name="valueLength"/> of the message.
    /// </summary>
    public void Add(string name, string? folded, int valueStart, int valueLength, int offset)
    {
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[Count] = new Entry(name, folded, valueStart, valueLength, offset);
        Count++;
    }

    /// <summary>The offset of header <paramref name="index"/>'s line in the message.</summary>
    public readonly int OffsetOf(int index) => _entries[index].Offset;

    /// <summary>The headers as an exactly sized array owned by the caller, values decoded from <paramref name="data"/>.</summary>
    public readonly SipHeader[] ToArray(ReadOnlySpan<byte> data)
    {
        if (Count == 0) return [];
        var headers = new SipHeader[Count];
        for (var i = 0; i < headers.Length; i++)
        {
            ref readonly var entry = ref _entries[i];
            headers[i] = new SipHeader(entry.Name, entry.Folded ?? SipParser.DecodeValue(data.Slice(entry.ValueStart, entry.ValueLength)));
        }
        return headers;
    }

    /// <summary>Clears the names and folded values (so the cache keeps nothing alive) and gives the array back to this thread.</summary>
    public void Return()
    {
        Array.Clear(_entries, 0, Count);
        if (_entries.Length <= MaxCachedCapacity) t_entries = _entries;
        _entries = [];
        Count = 0;
    }

    private readonly record struct Entry(string Name, string? Folded, int ValueStart, int ValueLength, int Offset);
}
