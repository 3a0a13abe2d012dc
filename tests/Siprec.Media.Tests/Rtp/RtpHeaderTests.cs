using System.Buffers.Binary;
using Siprec.Media.Rtp;

namespace Siprec.Media.Tests.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void Write_ThenTryRead_ReturnsTheSameHeader_AndPayloadAfterTwelveBytes()
    {
        var header = new RtpHeader(8, true, 65535, 0xDEADBEEF, 0x01020304);
        var packet = new byte[RtpHeader.Size + 5];
        header.Write(packet);

        Assert.True(RtpHeader.TryRead(packet, out var read, out int offset, out int length));
        Assert.Equal(header, read);
        Assert.Equal(12, offset);
        Assert.Equal(5, length);
    }

    [Fact]
    public void Write_ProducesVersionTwoWithoutPaddingExtensionOrCsrc_InNetworkOrder()
    {
        var packet = new byte[12];
        new RtpHeader(0, false, 0x1234, 0x11223344, 0xA1B2C3D4).Write(packet);
        Assert.Equal(new byte[] { 0x80, 0x00, 0x12, 0x34, 0x11, 0x22, 0x33, 0x44, 0xA1, 0xB2, 0xC3, 0xD4 }, packet);
    }

    [Fact]
    public void TryRead_SkipsCsrcsAndExtension_AndExcludesPadding()
    {
        // V=2, P=1, X=1, CC=2; M=1, PT=0
        var packet = new byte[12 + 8 + 4 + 4 + 6 + 3];
        packet[0] = 0x80 | 0x20 | 0x10 | 0x02;
        packet[1] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 160);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 99);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 0xBEDE);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 1); // one 32-bit word of extension
        packet[^1] = 3;

        Assert.True(RtpHeader.TryRead(packet, out var header, out int offset, out int length));
        Assert.Equal(new RtpHeader(0, true, 7, 160, 99), header);
        Assert.Equal(28, offset);
        Assert.Equal(6, length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void TryRead_RejectsPacketsShorterThanTheFixedHeader(int size)
    {
        var packet = new byte[size];
        if (size > 0) packet[0] = 0x80;
        Assert.False(RtpHeader.TryRead(packet, out _, out _));
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x00)]
    [InlineData(0xC0)]
    public void TryRead_RejectsVersionsOtherThanTwo(byte first)
    {
        var packet = new byte[20];
        packet[0] = first;
        Assert.False(RtpHeader.TryRead(packet, out _, out _));
    }

    [Fact]
    public void TryRead_RejectsACsrcListLongerThanThePacket()
    {
        var packet = new byte[20];
        packet[0] = 0x80 | 0x03;
        Assert.False(RtpHeader.TryRead(packet, out _, out _));
    }

    [Fact]
    public void TryRead_RejectsAnExtensionLongerThanThePacket()
    {
        var packet = new byte[20];
        packet[0] = 0x80 | 0x10;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), 5);
        Assert.False(RtpHeader.TryRead(packet, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void TryRead_RejectsZeroOrOversizedPadding(byte padding)
    {
        var packet = new byte[16];
        packet[0] = 0x80 | 0x20;
        packet[^1] = padding;
        Assert.False(RtpHeader.TryRead(packet, out _, out _));
    }

    [Fact]
    public void Write_RejectsADestinationShorterThanTwelveBytes() =>
        Assert.Throws<ArgumentException>(() => new RtpHeader(0, false, 0, 0, 0).Write(new byte[11]));
}
