namespace Siprec.Sip.Messages;

/// <summary>
/// Scratch space for the header lines <see cref="SipParser"/> reads: the name, where the value lies in the message
/// (or the joined value of a folded header) and the line offset, for error reports. Cached per thread, so a parse
/// allocates only the exactly sized entry array of its <see cref="ParsedHeaderList"/>. Rent, use on the same thread,
/// Return once.
/// </summary>
internal struct SipHeaderBuffer
{
    private const int InitialCapacity = 32;
    private const int MaxCachedCapacity = 256;

    [ThreadStatic]
    private static Line[]? t_lines;

    private Line[] _lines;

    private SipHeaderBuffer(Line[] lines)
    {
        _lines = lines;
        Count = 0;
    }

    /// <summary>The number of headers added.</summary>
    public int Count { get; private set; }

    /// <summary>This thread's cached buffer (taken, so a nested parse gets a fresh one), or a new one; grows on demand.</summary>
    public static SipHeaderBuffer Rent()
    {
        var lines = t_lines ?? new Line[InitialCapacity];
        t_lines = null;
        return new SipHeaderBuffer(lines);
    }

    /// <summary>
    /// Appends one header line read at <paramref name="offset"/>: its value is <paramref name="folded"/> when not null,
    /// otherwise bytes <paramref name="valueStart"/> .. + <paramref name="valueLength"/> of the message.
    /// </summary>
    public void Add(string name, string? folded, int valueStart, int valueLength, int offset)
    {
        if (Count == _lines.Length) Array.Resize(ref _lines, _lines.Length * 2);
        _lines[Count] = new Line(name, folded, valueStart, folded is null ? valueLength : -1, offset);
        Count++;
    }

    /// <summary>The offset of header <paramref name="index"/>'s line in the message.</summary>
    public readonly int OffsetOf(int index) => _lines[index].Offset;

    /// <summary>The headers as a list owned by the caller; values stay ranges of <paramref name="message"/> until read.</summary>
    public readonly ParsedHeaderList ToList(ReadOnlyMemory<byte> message)
    {
        var entries = Count == 0 ? [] : new ParsedHeaderList.Entry[Count];
        for (var i = 0; i < entries.Length; i++)
        {
            ref readonly var line = ref _lines[i];
            entries[i] = new ParsedHeaderList.Entry { Name = line.Name, Value = line.Folded, Start = line.ValueStart, Length = line.ValueLength };
        }
        return new ParsedHeaderList(message, entries);
    }

    /// <summary>Clears the names and folded values (so the cache keeps nothing alive) and gives the array back to this thread.</summary>
    public void Return()
    {
        Array.Clear(_lines, 0, Count);
        if (_lines.Length <= MaxCachedCapacity) t_lines = _lines;
        _lines = [];
        Count = 0;
    }

    private readonly record struct Line(string Name, string? Folded, int ValueStart, int ValueLength, int Offset);
}
