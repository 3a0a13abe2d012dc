using System.Buffers.Binary;

namespace Siprec.Media.Rtcp;

/// <summary>
/// One RTCP packet of a compound packet (RFC 3550 §6.1, §6.4–§6.6): <see cref="RtcpSenderReport"/>,
/// <see cref="RtcpReceiverReport"/>, <see cref="RtcpSourceDescription"/> or <see cref="RtcpBye"/>.
/// </summary>
public abstract record RtcpPacket
{
    /// <summary>Packet type of a sender report (RFC 3550 §12.1).</summary>
    public const byte SenderReportType = 200;

    /// <summary>Packet type of a receiver report.</summary>
    public const byte ReceiverReportType = 201;

    /// <summary>Packet type of a source description.</summary>
    public const byte SourceDescriptionType = 202;

    /// <summary>Packet type of a goodbye.</summary>
    public const byte ByeType = 203;

    /// <summary>Size of the common header in bytes (V, P, count, PT, length).</summary>
    public const int HeaderSize = 4;

    private protected RtcpPacket()
    {
    }

    /// <summary>Size of this packet on the wire in bytes, a multiple of 4.</summary>
    public abstract int Length { get; }

    /// <summary>Writes the packet (header included) and returns <see cref="Length"/>.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="InvalidOperationException">The packet has more than 31 report blocks or sources, or an item longer than 255 bytes.</exception>
    public abstract int Write(Span<byte> destination);

    /// <summary>Writes the common header: V=2, no padding, the 5-bit count, the type and the length in 32-bit words minus one.</summary>
    private protected static void WriteHeader(Span<byte> destination, int count, byte type, int length)
    {
        if (destination.Length < length)
            throw new ArgumentException($"this RTCP packet needs {length} bytes, the destination has {destination.Length}", nameof(destination));
        if (count > 31) throw new InvalidOperationException($"an RTCP packet carries at most 31 items, not {count}");
        destination[0] = (byte)(0x80 | count);
        destination[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), (ushort)(length / 4 - 1));
    }
}
