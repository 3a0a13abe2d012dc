using System.Buffers.Binary;
using System.Text;

namespace Siprec.Media.Rtcp;

/// <summary>A goodbye packet (RFC 3550 §6.6): the listed sources are no longer active.</summary>
/// <param name="Sources">SSRCs leaving, at most 31.</param>
/// <param name="Reason">Optional reason for leaving, at most 255 UTF-8 bytes; null for none.</param>
public sealed record RtcpBye(IReadOnlyList<uint> Sources, string? Reason = null) : RtcpPacket
{
    /// <inheritdoc />
    public override int Length => HeaderSize + Sources.Count * 4 + ReasonLength(Reason is null ? -1 : Encoding.UTF8.GetByteCount(Reason));

    /// <inheritdoc />
    public override int Write(Span<byte> destination)
    {
        int textLength = Reason is null ? -1 : Encoding.UTF8.GetByteCount(Reason);
        if (textLength > 255) throw new InvalidOperationException($"an RTCP BYE reason is at most 255 bytes, not {textLength}");
        int length = HeaderSize + Sources.Count * 4 + ReasonLength(textLength);
        WriteHeader(destination, Sources.Count, ByeType, length);
        int offset = HeaderSize;
        foreach (uint source in Sources)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(offset, 4), source);
            offset += 4;
        }
        if (Reason is not null)
        {
            destination[offset] = (byte)textLength;
            Encoding.UTF8.GetBytes(Reason, destination.Slice(offset + 1, textLength));
            destination[(offset + 1 + textLength)..length].Clear();
        }
        return length;
    }

    /// <summary>Reads one BYE (header included).</summary>
    internal static bool TryRead(ReadOnlySpan<byte> packet, int count, out RtcpPacket? bye)
    {
        bye = null;
        int offset = HeaderSize + count * 4;
        if (packet.Length < offset) return false;
        var sources = new uint[count];
        for (int i = 0; i < count; i++) sources[i] = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(HeaderSize + i * 4, 4));
        string? reason = null;
        if (packet.Length > offset)
        {
            int textLength = packet[offset];
            if (offset + 1 + textLength > packet.Length) return false;
            reason = Encoding.UTF8.GetString(packet.Slice(offset + 1, textLength));
        }
        bye = new RtcpBye(sources, reason);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(RtcpBye? other) => other is not null && Reason == other.Reason && Sources.SequenceEqual(other.Sources);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Reason, Sources.Count);

    private static int ReasonLength(int textLength) => textLength < 0 ? 0 : (1 + textLength + 3) & ~3;
}
