using System.Buffers.Binary;

namespace Siprec.Media.Rtcp;

/// <summary>
/// A compound RTCP packet (RFC 3550 §6.1): the packets of one datagram, the first an SR or RR. Reading follows the
/// validity checks of Appendix A.2 (version 2, first packet SR/RR, padding only on the last packet, lengths adding
/// up to the datagram) and never throws; packet types other than SR, RR, SDES and BYE (APP, feedback, XR) are
/// skipped and counted.
/// </summary>
/// <param name="Packets">The packets in datagram order.</param>
public sealed record RtcpCompoundPacket(IReadOnlyList<RtcpPacket> Packets)
{
    /// <summary>Packets of other types that were skipped on read (APP, RTPFB, PSFB, XR, …); 0 for built packets.</summary>
    public int SkippedPackets { get; init; }

    /// <summary>Size in bytes of the whole compound packet.</summary>
    public int Length => Packets.Sum(p => p.Length);

    /// <summary>
    /// True when a datagram looks like RTCP rather than RTP (RFC 5761 §4): version 2 and a second octet in 192..223,
    /// where RTCP packet types live and no RTP payload type with the marker bit falls that RFC 5761 allows.
    /// </summary>
    /// <param name="datagram">A datagram received on a port that may carry both.</param>
    public static bool IsRtcp(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= RtcpPacket.HeaderSize && datagram[0] >> 6 == 2 && datagram[1] is >= 192 and <= 223;

    /// <summary>Reads a compound packet. Returns false, never throwing, when the datagram is not valid RTCP.</summary>
    /// <param name="datagram">One UDP payload (after SRTCP processing, if any).</param>
    /// <param name="packet">The packets read.</param>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out RtcpCompoundPacket? packet)
    {
        packet = null;
        var packets = new List<RtcpPacket>(3);
        int skipped = 0;
        int offset = 0;
        while (offset < datagram.Length)
        {
            var rest = datagram[offset..];
            if (rest.Length < RtcpPacket.HeaderSize || rest[0] >> 6 != 2) return false;
            int length = (BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(2, 2)) + 1) * 4;
            if (length > rest.Length) return false;
            var body = rest[..length];
            bool padded = (rest[0] & 0x20) != 0;
            if (padded)
            {
                // Only the last packet of a compound may be padded (A.2); the last octet counts the padding.
                if (length != rest.Length) return false;
                int padding = body[^1];
                if (padding == 0 || padding > length - RtcpPacket.HeaderSize) return false;
                body = body[..(length - padding)];
            }
            int count = rest[0] & 0x1F;
            byte type = rest[1];
            if (offset == 0 && type is not (RtcpPacket.SenderReportType or RtcpPacket.ReceiverReportType)) return false;
            switch (type)
            {
                case RtcpPacket.SenderReportType:
                    if (!RtcpSenderReport.TryRead(body, count, out var sr)) return false;
                    packets.Add(sr!);
                    break;
                case RtcpPacket.ReceiverReportType:
                    if (!RtcpReceiverReport.TryRead(body, count, out var rr)) return false;
                    packets.Add(rr!);
                    break;
                case RtcpPacket.SourceDescriptionType:
                    if (!RtcpSourceDescription.TryRead(body, count, packets)) return false;
                    break;
                case RtcpPacket.ByeType:
                    if (!RtcpBye.TryRead(body, count, out var bye)) return false;
                    packets.Add(bye!);
                    break;
                default:
                    skipped++;
                    break;
            }
            offset += length;
        }
        if (offset == 0) return false;
        packet = new RtcpCompoundPacket(packets) { SkippedPackets = skipped };
        return true;
    }

    /// <summary>Writes every packet in order and returns <see cref="Length"/>.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int Write(Span<byte> destination)
    {
        int offset = 0;
        foreach (var part in Packets) offset += part.Write(destination[offset..]);
        return offset;
    }

    /// <summary>The first report block about <paramref name="ssrc"/> in any SR or RR of this packet, with the reporter's SSRC.</summary>
    /// <param name="ssrc">The source the block must be about.</param>
    /// <param name="block">The block found.</param>
    /// <param name="reporter">SSRC of the SR/RR that carried it.</param>
    public bool TryFindReportBlock(uint ssrc, out RtcpReportBlock block, out uint reporter)
    {
        foreach (var part in Packets)
        {
            var (sender, blocks) = part switch
            {
                RtcpSenderReport sr => (sr.Ssrc, sr.Blocks),
                RtcpReceiverReport rr => (rr.Ssrc, rr.Blocks),
                _ => (0u, (IReadOnlyList<RtcpReportBlock>)[]),
            };
            foreach (var candidate in blocks)
            {
                if (candidate.Ssrc != ssrc) continue;
                block = candidate;
                reporter = sender;
                return true;
            }
        }
        block = default;
        reporter = 0;
        return false;
    }

    /// <inheritdoc />
    public bool Equals(RtcpCompoundPacket? other) =>
        other is not null && SkippedPackets == other.SkippedPackets && Packets.SequenceEqual(other.Packets);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Packets.Count, SkippedPackets);
}
