using System.Buffers.Binary;
using System.Text;

namespace Siprec.Media.Rtcp;

/// <summary>
/// A source description packet with one chunk carrying the CNAME item (RFC 3550 §6.5, §6.5.1), the item every compound
/// packet must carry (§6.1). On read, each chunk of an SDES packet that has a CNAME becomes one of these; other
/// items (NAME, EMAIL, …) are skipped.
/// </summary>
/// <param name="Ssrc">SSRC the chunk describes.</param>
/// <param name="Cname">The canonical name, at most 255 UTF-8 bytes (e.g. <c>user@host</c> or a random RFC 7022 identifier).</param>
public sealed record RtcpSourceDescription(uint Ssrc, string Cname) : RtcpPacket
{
    /// <summary>SDES item type of CNAME.</summary>
    public const byte CnameItem = 1;

    /// <inheritdoc />
    public override int Length => HeaderSize + ChunkLength(Encoding.UTF8.GetByteCount(Cname));

    /// <inheritdoc />
    public override int Write(Span<byte> destination)
    {
        int textLength = Encoding.UTF8.GetByteCount(Cname);
        if (textLength > 255) throw new InvalidOperationException($"an SDES CNAME is at most 255 bytes, not {textLength}");
        int length = HeaderSize + ChunkLength(textLength);
        WriteHeader(destination, 1, SourceDescriptionType, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), Ssrc);
        destination[8] = CnameItem;
        destination[9] = (byte)textLength;
        Encoding.UTF8.GetBytes(Cname, destination.Slice(10, textLength));
        // The item list ends with at least one null octet, then pads to a 32-bit boundary (§6.5).
        destination[(10 + textLength)..length].Clear();
        return length;
    }

    /// <summary>Reads the chunks of one SDES packet (header included) and adds one description per chunk with a CNAME.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> packet, int count, List<RtcpPacket> output)
    {
        int offset = HeaderSize;
        for (int chunk = 0; chunk < count; chunk++)
        {
            if (packet.Length < offset + 4) return false;
            uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(offset, 4));
            offset += 4;
            string? cname = null;
            while (true)
            {
                if (offset >= packet.Length) return false;
                byte type = packet[offset];
                if (type == 0) break;
                if (offset + 2 > packet.Length) return false;
                int itemLength = packet[offset + 1];
                if (offset + 2 + itemLength > packet.Length) return false;
                if (type == CnameItem && cname is null) cname = Encoding.UTF8.GetString(packet.Slice(offset + 2, itemLength));
                offset += 2 + itemLength;
            }
            // Skip the terminating null octet(s) up to the next 32-bit boundary.
            offset = (offset + 4) & ~3;
            if (offset > packet.Length) return false;
            if (cname is not null) output.Add(new RtcpSourceDescription(ssrc, cname));
        }
        return true;
    }

    // SSRC + type + length + text + at least one null octet, padded to 32 bits.
    private static int ChunkLength(int textLength) => (4 + 2 + textLength + 1 + 3) & ~3;
}
