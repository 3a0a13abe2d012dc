using Siprec.Media.Rtcp;

namespace Siprec.Media.Tests.Rtcp;

public sealed class RtcpCompoundPacketTests
{
    private static readonly RtcpReportBlock Block = new(0x11223344, 25, -3, 0x0001_0005, 42, 0xAABBCCDD, 0x00018000);

    private static RtcpCompoundPacket Sample() => new(
    [
        new RtcpSenderReport(0xCAFEBABE, new NtpTimestamp(0xE7A1_2345_8000_0000), 123456, 100, 16000, [Block]),
        new RtcpSourceDescription(0xCAFEBABE, "src@127.0.0.1"),
        new RtcpBye([0xCAFEBABE], "recording stopped"),
    ]);

    [Fact]
    public void SenderReport_WritesTheRfc3550Layout()
    {
        var sr = new RtcpSenderReport(0xCAFEBABE, new NtpTimestamp(0x0102030405060708), 0x11111111, 7, 1120, [Block]);
        var bytes = new byte[sr.Length];

        Assert.Equal(52, sr.Write(bytes));

        Assert.Equal("81C8000C" + "CAFEBABE" + "0102030405060708" + "11111111" + "00000007" + "00000460"
                     + "11223344" + "19FFFFFD" + "00010005" + "0000002A" + "AABBCCDD" + "00018000", Convert.ToHexString(bytes));
    }

    [Fact]
    public void SourceDescription_EndsTheItemListWithANullOctet_AndPadsTo32Bits()
    {
        var bytes = new byte[new RtcpSourceDescription(1, "ab").Length];
        new RtcpSourceDescription(1, "ab").Write(bytes);
        // header, SSRC, CNAME(1) len 2 "ab", null, pad to 12 bytes of chunk
        Assert.Equal("81CA0003" + "00000001" + "01026162" + "00000000", Convert.ToHexString(bytes));

        var exact = new RtcpSourceDescription(1, "abcdef"); // 4 + 2 + 6 = 12: a whole extra word for the null octet
        Assert.Equal(4 + 16, exact.Length);
    }

    [Fact]
    public void Compound_RoundTrips()
    {
        var packet = Sample();
        var bytes = new byte[packet.Length];
        packet.Write(bytes);

        Assert.True(RtcpCompoundPacket.TryRead(bytes, out var read));
        Assert.Equal(packet, read);
        Assert.True(RtcpCompoundPacket.IsRtcp(bytes));
    }

    [Fact]
    public void ReceiverReport_RoundTrips_WithAndWithoutBlocks()
    {
        foreach (var rr in new[] { new RtcpReceiverReport(9, []), new RtcpReceiverReport(9, [Block, Block with { Ssrc = 5 }]) })
        {
            var compound = new RtcpCompoundPacket([rr, new RtcpSourceDescription(9, "srs")]);
            var bytes = new byte[compound.Length];
            compound.Write(bytes);
            Assert.True(RtcpCompoundPacket.TryRead(bytes, out var read));
            Assert.Equal(compound, read);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(RtcpReportBlock.MaxCumulativeLost)]
    [InlineData(RtcpReportBlock.MinCumulativeLost)]
    public void ReportBlock_CumulativeLost_Is24BitSigned(int lost)
    {
        var bytes = new byte[RtcpReportBlock.Size];
        (Block with { CumulativeLost = lost }).Write(bytes);
        Assert.True(RtcpReportBlock.TryRead(bytes, out var read));
        Assert.Equal(lost, read.CumulativeLost);
        Assert.Equal(25, read.FractionLost);
    }

    [Fact]
    public void ReportBlock_ClampsCumulativeLostBeyond24Bits()
    {
        var bytes = new byte[RtcpReportBlock.Size];
        (Block with { CumulativeLost = 10_000_000 }).Write(bytes);
        RtcpReportBlock.TryRead(bytes, out var read);
        Assert.Equal(RtcpReportBlock.MaxCumulativeLost, read.CumulativeLost);
    }

    [Fact]
    public void TryRead_SkipsUnknownTypes_AndHonoursPaddingOnTheLastPacket()
    {
        var rr = new RtcpReceiverReport(1, []);
        var bytes = new byte[8 + 12 + 8];
        rr.Write(bytes);
        // APP packet (204), 12 bytes
        new byte[] { 0x80, 204, 0, 2, 0, 0, 0, 1, (byte)'t', (byte)'e', (byte)'s', (byte)'t' }.CopyTo(bytes, 8);
        // BYE with P bit: 4 header + 0 sources + 4 bytes of padding
        new byte[] { 0xA0, 203, 0, 1, 0, 0, 0, 4 }.CopyTo(bytes, 20);

        Assert.True(RtcpCompoundPacket.TryRead(bytes, out var read));
        Assert.Equal(1, read!.SkippedPackets);
        Assert.IsType<RtcpBye>(read.Packets[^1]);
    }

    [Fact]
    public void TryRead_RefusesACompoundThatDoesNotStartWithSrOrRr_AndPaddingBeforeTheLast()
    {
        var sdes = new RtcpSourceDescription(1, "x");
        var bytes = new byte[sdes.Length];
        sdes.Write(bytes);
        Assert.False(RtcpCompoundPacket.TryRead(bytes, out _));

        var packet = Sample();
        var compound = new byte[packet.Length];
        packet.Write(compound);
        compound[0] |= 0x20;
        Assert.False(RtcpCompoundPacket.TryRead(compound, out _));
        Assert.False(RtcpCompoundPacket.TryRead([], out _));
    }

    [Fact]
    public void TryRead_FindsTheBlockAboutAnSsrc()
    {
        Assert.True(Sample().TryFindReportBlock(0x11223344, out var block, out var reporter));
        Assert.Equal(Block, block);
        Assert.Equal(0xCAFEBABEu, reporter);
        Assert.False(Sample().TryFindReportBlock(1, out _, out _));
    }

    [Fact]
    public void TryRead_NeverThrows_OnRandomOrMutatedDatagrams()
    {
        var random = new Random(3550);
        var valid = Sample();
        var template = new byte[valid.Length];
        valid.Write(template);
        int parsed = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] datagram;
            switch (i % 4)
            {
                case 0:
                    datagram = new byte[random.Next(0, 200)];
                    random.NextBytes(datagram);
                    if (datagram.Length > 1) datagram[0] = (byte)(0x80 | (datagram[0] & 0x3F));
                    break;
                case 1:
                    datagram = template[..random.Next(0, template.Length + 1)];
                    break;
                default:
                    datagram = (byte[])template.Clone();
                    for (int flips = random.Next(1, 6); flips > 0; flips--)
                        datagram[random.Next(datagram.Length)] ^= (byte)(1 << random.Next(8));
                    break;
            }
            var ex = Record.Exception(() =>
            {
                if (!RtcpCompoundPacket.TryRead(datagram, out var read)) return;
                parsed++;
                // What parses must serialize again without throwing.
                var again = new byte[read!.Length];
                read.Write(again);
            });
            Assert.Null(ex);
        }
        Assert.True(parsed > 0);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", 0xED00_3780_0000_0000UL)]
    [InlineData("1970-01-01T00:00:00.5Z", 0x83AA_7E80_8000_0000UL)]
    public void NtpTimestamp_CountsSecondsFrom1900_AndBinaryFractions(string time, ulong expected)
    {
        var ntp = NtpTimestamp.FromDateTimeOffset(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, ntp.Value);
        Assert.Equal(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), ntp.ToDateTimeOffset());
        Assert.Equal((uint)(expected >> 16), ntp.Middle32);
    }

    [Fact]
    public void NtpTimestamp_ShortFormat_Is16Dot16Seconds()
    {
        Assert.Equal(0x0001_8000u, NtpTimestamp.ToShortFormat(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(TimeSpan.FromMilliseconds(250), NtpTimestamp.FromShortFormat(0x4000));
        Assert.Equal(0u, NtpTimestamp.ToShortFormat(TimeSpan.FromSeconds(-1)));
    }
}
