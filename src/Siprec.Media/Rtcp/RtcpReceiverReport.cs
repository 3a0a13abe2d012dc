using System.Buffers.Binary;

namespace Siprec.Media.Rtcp;

/// <summary>A receiver report (RFC 3550 §6.4.2): reception report blocks from a participant that is not sending RTP.</summary>
/// <param name="Ssrc">SSRC of the reporter.</param>
/// <param name="Blocks">Reception report blocks, at most 31; may be empty.</param>
public sealed record RtcpReceiverReport(uint Ssrc, IReadOnlyList<RtcpReportBlock> Blocks) : RtcpPacket
{
    /// <summary>Size in bytes of a receiver report without report blocks.</summary>
    public const int FixedSize = 8;

    /// <inheritdoc />
    public override int Length => FixedSize + Blocks.Count * RtcpReportBlock.Size;

    /// <inheritdoc />
    public override int Write(Span<byte> destination)
    {
        int length = Length;
        WriteHeader(destination, Blocks.Count, ReceiverReportType, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), Ssrc);
        RtcpReportBlock.WriteList(Blocks, destination.Slice(FixedSize));
        return length;
    }

    /// <summary>Reads one RR (header included); profile extensions after the blocks are ignored.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> packet, int count, out RtcpPacket? report)
    {
        report = null;
        if (packet.Length < FixedSize || !RtcpReportBlock.TryReadList(packet.Slice(FixedSize), count, out var blocks)) return false;
        report = new RtcpReceiverReport(BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)), blocks);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(RtcpReceiverReport? other) => other is not null && Ssrc == other.Ssrc && Blocks.SequenceEqual(other.Blocks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ssrc, Blocks.Count);
}
