namespace Siprec.Media.Srtp;

/// <summary>
/// The receive state of one SSRC (RFC 3711 §3.3.1, §3.3.2): the highest authenticated packet index and a 64-packet
/// replay bitmap behind it. For SRTP the index is the 48-bit ROC · 2^16 + s_l, estimated from the sequence number; for
/// SRTCP it is the 31-bit SRTCP index the packet carries (§3.4), so only the check and the window are used. Not
/// thread-safe; the context locks.
/// </summary>
internal sealed class SrtpReplayWindow
{
    /// <summary>Packets behind the highest index still accepted once (RFC 3711 §3.3.2 recommends at least 64).</summary>
    public const int Size = 64;

    private bool _initialized;
    private ulong _bitmap;

    /// <summary>The highest index seen (48-bit SRTP or 31-bit SRTCP index); meaningful once a packet was accepted.</summary>
    public long HighestIndex { get; private set; }

    /// <summary>
    /// Guesses the 48-bit index of <paramref name="sequence"/> from the highest index so far (RFC 3711
    /// §3.3.1 / Appendix A). Returns -1 when the guess would precede index 0 (ROC - 1 with ROC = 0).
    /// </summary>
    public long EstimateIndex(ushort sequence)
    {
        if (!_initialized) return sequence;
        long roc = HighestIndex >> 16;
        int highestSequence = (int)(HighestIndex & 0xFFFF);
        long v;
        if (highestSequence < 32768)
            v = sequence - highestSequence > 32768 ? roc - 1 : roc;
        else
            v = highestSequence - 32768 > sequence ? roc + 1 : roc;
        return v < 0 ? -1 : (v << 16) | sequence;
    }

    /// <summary>False when <paramref name="index"/> was already accepted or is more than <see cref="Size"/> behind.</summary>
    public bool IsFresh(long index)
    {
        if (!_initialized || index > HighestIndex) return true;
        long delta = HighestIndex - index;
        return delta < Size && (_bitmap & (1UL << (int)delta)) == 0;
    }

    /// <summary>Records an authenticated <paramref name="index"/>, moving the window when it is the new highest.</summary>
    public void Accept(long index)
    {
        if (!_initialized)
        {
            _initialized = true;
            HighestIndex = index;
            _bitmap = 1;
            return;
        }
        if (index > HighestIndex)
        {
            long shift = index - HighestIndex;
            _bitmap = shift >= Size ? 1 : (_bitmap << (int)shift) | 1;
            HighestIndex = index;
            return;
        }
        _bitmap |= 1UL << (int)(HighestIndex - index);
    }
}
