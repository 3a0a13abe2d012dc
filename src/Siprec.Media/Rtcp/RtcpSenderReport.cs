using System.Buffers.Binary;

namespace Siprec.Media.Rtcp;

/// <summary>
/// A sender report (RFC 3550 §6.4.1): the sender's wall clock and RTP clock at one instant, what it has sent, and
/// reception report blocks for the sources it receives.
/// </summary>
/// <param name="Ssrc">SSRC of the sender.</param>
/// <param name="NtpTimestamp">Wall-clock time when the report was sent.</param>
/// <param name="RtpTimestamp">The same instant in the stream's RTP timestamp units.</param>
/// <param name="PacketCount">RTP data packets sent since the start (wraps at 2^32).</param>
/// <param name="OctetCount">RTP payload octets sent since the start, headers and padding excluded (wraps at 2^32).</param>
/// <param name="Blocks">Reception report blocks, at most 31.</param>
public sealed record RtcpSenderReport(uint Ssrc, NtpTimestamp NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount,
    IReadOnlyList<RtcpReportBlock> Blocks) : RtcpPacket
{
    /// <summary>Size in bytes of a sender report without report blocks.</summary>
    public const int FixedSize = 28;

    /// <inheritdoc />
    public override int Length => FixedSize + Blocks.Count * RtcpReportBlock.Size;

    /// <inheritdoc />
    public override int Write(Span<byte> destination)
    {
        int length = Length;
        WriteHeader(destination, Blocks.Count, SenderReportType, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8, 8), NtpTimestamp.Value);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16, 4), RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20, 4), PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24, 4), OctetCount);
        RtcpReportBlock.WriteList(Blocks, destination.Slice(FixedSize));
        return length;
    }

    /// <summary>Reads one SR (header included); profile extensions after the blocks are ignored.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> packet, int count, out RtcpPacket? report)
    {
        report = null;
        if (packet.Length < FixedSize || !RtcpReportBlock.TryReadList(packet.Slice(FixedSize), count, out var blocks)) return false;
        report = new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            new NtpTimestamp(BinaryPrimitives.ReadUInt64BigEndian(packet.Slice(8, 8))),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(20, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(24, 4)),
            blocks);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(RtcpSenderReport? other) =>
        other is not null && Ssrc == other.Ssrc && NtpTimestamp == other.NtpTimestamp && RtpTimestamp == other.RtpTimestamp
        && PacketCount == other.PacketCount && OctetCount == other.OctetCount && Blocks.SequenceEqual(other.Blocks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ssrc, NtpTimestamp, RtpTimestamp, PacketCount, OctetCount, Blocks.Count);
}
