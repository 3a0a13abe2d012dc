namespace Siprec.Sip.Messages;

/// <summary>
/// Scratch space for the header lines <see cref="SipParser"/> reads, cached per thread, so a parse allocates only
/// the exactly sized entry array of its <see cref="ParsedHeaderList"/>. Rent, use on the same thread, Return once.
/// </summary>
internal struct SipHeaderBuffer
{
    private const int InitialCapacity = 32;
    private const int MaxCachedCapacity = 256;

    [ThreadStatic]
    private static ParsedHeaderList.Entry[]? t_entries;

    private ParsedHeaderList.Entry[] _entries;

    private SipHeaderBuffer(ParsedHeaderList.Entry[] entries)
    {
        _entries = entries;
        Count = 0;
    }

    /// <summary>The number of headers added.</summary>
    public int Count { get; private set; }

    /// <summary>This thread's cached buffer (taken, so a nested parse gets a fresh one), or a new one; grows on demand.</summary>
    public static SipHeaderBuffer Rent()
    {
        var entries = t_entries ?? new ParsedHeaderList.Entry[InitialCapacity];
        t_entries = null;
        return new SipHeaderBuffer(entries);
    }

    /// <summary>
    /// Appends one header line: its value is <paramref name="folded"/> when not null, otherwise bytes
    /// <paramref name="valueStart"/> .. + <paramref name="valueLength"/> of the message.
    /// </summary>
    public void Add(string name, string? folded, int valueStart, int valueLength)
    {
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        ref var entry = ref _entries[Count];
        entry.Name = name;
        entry.Start = valueStart;
        entry.Length = folded is null ? valueLength : -1;
        if (folded is not null) entry.Value = folded;
        Count++;
    }

    /// <summary>The headers as a list owned by the caller; values stay ranges of <paramref name="message"/> until read.</summary>
    public readonly ParsedHeaderList ToList(ReadOnlyMemory<byte> message) =>
        new(message, Count == 0 ? [] : _entries.AsSpan(0, Count).ToArray());

    /// <summary>Clears the names and folded values (so the cache keeps nothing alive) and gives the array back to this thread.</summary>
    public void Return()
    {
        Array.Clear(_entries, 0, Count);
        if (_entries.Length <= MaxCachedCapacity) t_entries = _entries;
        _entries = [];
        Count = 0;
    }
}
