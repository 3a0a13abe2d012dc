namespace Siprec.Sip.Messages;

/// <summary>
/// Scratch space for the headers <see cref="SipParser"/> reads (and their line offsets, for error reports), cached per
/// thread so parsing allocates only the final, exactly sized header array. Rent, use on the same thread, Return once.
/// </summary>
internal struct SipHeaderBuffer
{
    private const int InitialCapacity = 32;
    private const int MaxCachedCapacity = 256;

    [ThreadStatic]
    private static SipHeader[]? t_headers;

    [ThreadStatic]
    private static int[]? t_offsets;

    private SipHeader[] _headers;
    private int[] _offsets;

    private SipHeaderBuffer(SipHeader[] headers, int[] offsets)
    {
        _headers = headers;
        _offsets = offsets;
        Count = 0;
    }

    /// <summary>The number of headers added.</summary>
    public int Count { get; private set; }

    /// <summary>The headers added, in order.</summary>
    public readonly ReadOnlySpan<SipHeader> Headers => _headers.AsSpan(0, Count);

    /// <summary>The offset of each header's line in the message.</summary>
    public readonly ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Count);

    /// <summary>This thread's cached buffer (taken, so a nested parse gets a fresh one), or a new one; grows on demand.</summary>
    public static SipHeaderBuffer Rent()
    {
        var headers = t_headers ?? new SipHeader[InitialCapacity];
        var offsets = t_offsets ?? new int[InitialCapacity];
        t_headers = null;
        t_offsets = null;
        return new SipHeaderBuffer(headers, offsets);
    }

    /// <summary>Appends one header read at <paramref name="offset"/>.</summary>
    public void Add(SipHeader header, int offset)
    {
        if (Count == _headers.Length) Grow();
        _headers[Count] = header;
        _offsets[Count] = offset;
        Count++;
    }

    /// <summary>An exactly sized copy of the headers, owned by the caller.</summary>
    public readonly SipHeader[] ToArray() => Count == 0 ? [] : Headers.ToArray();

    /// <summary>Clears the header strings (so the cache keeps nothing alive) and gives the arrays back to this thread.</summary>
    public void Return()
    {
        Array.Clear(_headers, 0, Count);
        if (_headers.Length <= MaxCachedCapacity)
        {
            t_headers = _headers;
            t_offsets = _offsets;
        }
        _headers = [];
        _offsets = [];
        Count = 0;
    }

    private void Grow()
    {
        Array.Resize(ref _headers, _headers.Length * 2);
        Array.Resize(ref _offsets, _offsets.Length * 2);
    }
}
