using System.Buffers.Binary;

namespace Siprec.Media.Rtp;

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1): the fields a media fork and a recorder need.
/// CSRC lists, header extensions (§5.3.1) and padding are skipped on read and never written.
/// </summary>
/// <param name="PayloadType">7-bit payload type (RFC 3551 §6), 0..127.</param>
/// <param name="Marker">Marker bit; for audio the first packet of a talk spurt (RFC 3551 §4.1).</param>
/// <param name="SequenceNumber">16-bit sequence number, +1 per packet, wraps.</param>
/// <param name="Timestamp">32-bit sampling instant in clock-rate units (samples for G.711), wraps.</param>
/// <param name="Ssrc">Synchronization source identifier.</param>
public readonly record struct RtpHeader(byte PayloadType, bool Marker, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    /// <summary>Size in bytes of the fixed header without CSRC entries.</summary>
    public const int Size = 12;

    /// <summary>The only RTP version this implementation accepts (RFC 3550 §5.1).</summary>
    public const int Version = 2;

    /// <summary>
    /// Reads the header of one datagram. Returns false (never throws) when the packet is shorter than
    /// its declared header, is not version 2, or declares more padding than it carries.
    /// </summary>
    /// <param name="packet">The whole UDP payload.</param>
    /// <param name="header">The parsed fixed header.</param>
    /// <param name="payloadOffset">Byte offset of the payload, after CSRCs and any extension.</param>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header, out int payloadOffset) =>
        TryRead(packet, out header, out payloadOffset, out _);

    /// <summary>
    /// Reads the header of one datagram and the payload length without padding (RFC 3550 §5.1 P bit).
    /// Returns false (never throws) on the same conditions as the three-argument overload.
    /// </summary>
    /// <param name="packet">The whole UDP payload.</param>
    /// <param name="header">The parsed fixed header.</param>
    /// <param name="payloadOffset">Byte offset of the payload, after CSRCs and any extension.</param>
    /// <param name="payloadLength">Payload size in bytes, excluding trailing padding.</param>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header, out int payloadOffset, out int payloadLength)
    {
        header = default;
        payloadOffset = 0;
        payloadLength = 0;
        if (packet.Length < Size) return false;
        byte first = packet[0];
        if (first >> 6 != Version) return false;

        int offset = Size + (first & 0x0F) * 4;
        if (packet.Length < offset) return false;

        if ((first & 0x10) != 0)
        {
            if (packet.Length < offset + 4) return false;
            int extensionWords = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2));
            offset += 4 + extensionWords * 4;
            if (packet.Length < offset) return false;
        }

        int padding = 0;
        if ((first & 0x20) != 0)
        {
            padding = packet[^1];
            if (padding == 0 || offset + padding > packet.Length) return false;
        }

        byte second = packet[1];
        header = new RtpHeader(
            (byte)(second & 0x7F),
            (second & 0x80) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2, 2)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8, 4)));
        payloadOffset = offset;
        payloadLength = packet.Length - offset - padding;
        return true;
    }

    /// <summary>Writes the 12-byte fixed header: V=2, no padding, no extension, no CSRC.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/> bytes.</exception>
    /// <exception cref="InvalidOperationException"><see cref="PayloadType"/> does not fit in 7 bits.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"an RTP header needs {Size} bytes, the destination has {destination.Length}", nameof(destination));
        if (PayloadType > 127)
            throw new InvalidOperationException($"RTP payload type {PayloadType} does not fit in 7 bits");
        destination[0] = Version << 6;
        destination[1] = (byte)(PayloadType | (Marker ? 0x80 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), Ssrc);
    }
}
