using System.Buffers.Binary;

namespace Siprec.Media.Rtcp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1): what the reporter received from one source.
/// </summary>
/// <param name="Ssrc">SSRC of the source this block is about (SSRC_n).</param>
/// <param name="FractionLost">Packets lost since the previous report over packets expected, as an 8-bit fixed-point fraction (x/256).</param>
/// <param name="CumulativeLost">Packets lost since reception began (expected − received), a 24-bit signed value: −8388608..8388607; negative with duplicates.</param>
/// <param name="ExtendedHighestSequence">Highest sequence number received, with the count of 16-bit wraps (cycles) in the high 16 bits.</param>
/// <param name="Jitter">Interarrival jitter estimate, in RTP timestamp units (RFC 3550 §6.4.1, Appendix A.8).</param>
/// <param name="LastSenderReport">LSR: the middle 32 bits of the NTP timestamp of the last SR received from the source; 0 when none.</param>
/// <param name="DelaySinceLastSenderReport">DLSR: time from that SR's arrival to this block's sending, in units of 1/65536 s; 0 when no SR.</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    /// <summary>Size of a report block in bytes.</summary>
    public const int Size = 24;

    /// <summary>Largest cumulative loss the 24-bit signed field carries.</summary>
    public const int MaxCumulativeLost = 0x7F_FFFF;

    /// <summary>Smallest cumulative loss the 24-bit signed field carries.</summary>
    public const int MinCumulativeLost = -0x80_0000;

    /// <summary><see cref="FractionLost"/> as a fraction from 0 to 255/256.</summary>
    public double FractionLostRatio => FractionLost / 256.0;

    /// <summary>Reads one block from the first <see cref="Size"/> bytes; false (never throws) when fewer bytes are given.</summary>
    /// <param name="source">At least <see cref="Size"/> bytes.</param>
    /// <param name="block">The block read.</param>
    public static bool TryRead(ReadOnlySpan<byte> source, out RtcpReportBlock block)
    {
        block = default;
        if (source.Length < Size) return false;
        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(source.Slice(4, 4));
        int cumulative = (int)(lossWord << 8) >> 8; // sign-extend 24 bits
        block = new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(lossWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(8, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(12, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(20, 4)));
        return true;
    }

    /// <summary>Writes the block; <see cref="CumulativeLost"/> is clamped to the 24-bit signed range.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"a report block needs {Size} bytes, the destination has {destination.Length}", nameof(destination));
        int lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), ((uint)FractionLost << 24) | ((uint)lost & 0xFF_FFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12, 4), Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16, 4), LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20, 4), DelaySinceLastSenderReport);
    }

    /// <summary>
    /// Reads <paramref name="count"/> consecutive blocks from <paramref name="source"/> (the part of an SR or RR after its
    /// fixed fields, RFC 3550 §6.4.1/§6.4.2); false when it is shorter than <paramref name="count"/> × <see cref="Size"/>.
    /// </summary>
    internal static bool TryReadList(ReadOnlySpan<byte> source, int count, out RtcpReportBlock[] blocks)
    {
        blocks = [];
        if (source.Length < count * Size) return false;
        blocks = new RtcpReportBlock[count];
        for (int i = 0; i < count; i++) TryRead(source.Slice(i * Size), out blocks[i]);
        return true;
    }

    /// <summary>Writes <paramref name="blocks"/> one after another into <paramref name="destination"/>.</summary>
    internal static void WriteList(IReadOnlyList<RtcpReportBlock> blocks, Span<byte> destination)
    {
        for (int i = 0; i < blocks.Count; i++) blocks[i].Write(destination.Slice(i * Size));
    }
}
