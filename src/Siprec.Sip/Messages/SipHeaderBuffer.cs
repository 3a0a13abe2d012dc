using System.Buffers;

namespace Siprec.Sip.Messages;

/// <summary>
/// Scratch space for the headers <see cref="SipParser"/> reads (and their line offsets, for error reports), rented from
/// <see cref="ArrayPool{T}"/> so parsing allocates only the final, exactly sized header array. Call <see cref="Return"/> once.
/// </summary>
internal struct SipHeaderBuffer
{
    private SipHeader[] _headers;
    private int[] _offsets;

    private SipHeaderBuffer(int capacity)
    {
        _headers = ArrayPool<SipHeader>.Shared.Rent(capacity);
        _offsets = ArrayPool<int>.Shared.Rent(capacity);
        Count = 0;
    }

    /// <summary>The number of headers added.</summary>
    public int Count { get; private set; }

    /// <summary>The headers added, in order.</summary>
    public readonly ReadOnlySpan<SipHeader> Headers => _headers.AsSpan(0, Count);

    /// <summary>The offset of each header's line in the message.</summary>
    public readonly ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Count);

    /// <summary>A buffer for about 32 headers; it grows on demand.</summary>
    public static SipHeaderBuffer Rent() => new(32);

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

    /// <summary>Gives the arrays back to the pool (header strings cleared so the pool does not keep them alive).</summary>
    public void Return()
    {
        ArrayPool<SipHeader>.Shared.Return(_headers, clearArray: true);
        ArrayPool<int>.Shared.Return(_offsets);
        _headers = [];
        _offsets = [];
        Count = 0;
    }

    private void Grow()
    {
        var headers = ArrayPool<SipHeader>.Shared.Rent(_headers.Length * 2);
        var offsets = ArrayPool<int>.Shared.Rent(_headers.Length * 2);
        Headers.CopyTo(headers);
        Offsets.CopyTo(offsets);
        ArrayPool<SipHeader>.Shared.Return(_headers, clearArray: true);
        ArrayPool<int>.Shared.Return(_offsets);
        _headers = headers;
        _offsets = offsets;
    }
}
