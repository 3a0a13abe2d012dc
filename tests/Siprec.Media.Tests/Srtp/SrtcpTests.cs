using System.Buffers.Binary;
using Siprec.Media.Rtcp;
using Siprec.Media.Srtp;

namespace Siprec.Media.Tests.Srtp;

/// <summary>SRTCP (RFC 3711 §3.4) through <see cref="SrtpContext.TryProtectRtcp"/> and <see cref="SrtpContext.TryUnprotectRtcp"/>.</summary>
public sealed class SrtcpTests
{
    private static readonly SrtpMasterKey Key = new(Enumerable.Range(1, SrtpMasterKey.Length).Select(i => (byte)i).ToArray());

    private static byte[] Rtcp(uint ssrc = 0xCAFEBABE, uint packets = 100)
    {
        var compound = new RtcpCompoundPacket(
        [
            new RtcpSenderReport(ssrc, new NtpTimestamp(0xE7A1_2345_8000_0000), 123456, packets, packets * 160, []),
            new RtcpSourceDescription(ssrc, "src@127.0.0.1"),
        ]);
        var buffer = new byte[256];
        return buffer.AsSpan(0, compound.Write(buffer)).ToArray();
    }

    private static byte[] Protect(SrtpContext context, byte[] rtcp)
    {
        var srtcp = new byte[rtcp.Length + SrtpContext.RtcpOverhead];
        Assert.True(context.TryProtectRtcp(rtcp, srtcp, out int written));
        Assert.Equal(srtcp.Length, written);
        return srtcp;
    }

    [Theory]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_80)]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_32)]
    public void ProtectThenUnprotect_GivesBackTheCompoundPacket_WithAn80BitTagForBothSuites(SrtpCryptoSuite suite)
    {
        using var sender = new SrtpContext(Key, suite);
        using var receiver = new SrtpContext(Key, suite);
        var rtcp = Rtcp();

        var srtcp = Protect(sender, rtcp);

        // RFC 4568 §6.2: the _32 suite shortens the SRTP tag only; SRTCP keeps 80 bits (+ 4 bytes E|index).
        Assert.Equal(rtcp.Length + 4 + 10, srtcp.Length);
        Assert.Equal(rtcp.AsSpan(0, 8).ToArray(), srtcp.AsSpan(0, 8).ToArray());
        Assert.NotEqual(rtcp.AsSpan(8).ToArray(), srtcp.AsSpan(8, rtcp.Length - 8).ToArray());
        var back = new byte[srtcp.Length];
        Assert.True(receiver.TryUnprotectRtcp(srtcp, back, out int written));
        Assert.Equal(rtcp, back.AsSpan(0, written).ToArray());
        Assert.True(RtcpCompoundPacket.TryRead(back.AsSpan(0, written), out _));
    }

    [Fact]
    public void Protect_SetsTheEFlag_AndCountsTheSrtcpIndexFromZero()
    {
        using var sender = new SrtpContext(Key);
        var rtcp = Rtcp();

        var indexes = Enumerable.Range(0, 3).Select(_ =>
        {
            var srtcp = Protect(sender, rtcp);
            return BinaryPrimitives.ReadUInt32BigEndian(srtcp.AsSpan(rtcp.Length, 4));
        }).ToArray();

        Assert.Equal(new uint[] { 0x8000_0000, 0x8000_0001, 0x8000_0002 }, indexes);
        Assert.Equal(3, sender.RtcpPacketsProtected);
    }

    [Fact]
    public void Unprotect_WorksInPlace()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var rtcp = Rtcp();
        var buffer = Protect(sender, rtcp);

        Assert.True(receiver.TryUnprotectRtcp(buffer, buffer, out int written));

        Assert.Equal(rtcp, buffer.AsSpan(0, written).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(12)]
    [InlineData(-15)]
    [InlineData(-1)]
    public void Unprotect_RejectsATamperedPacket_AndCountsIt(int byteToFlip)
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var srtcp = Protect(sender, Rtcp());
        srtcp[byteToFlip < 0 ? srtcp.Length + byteToFlip : byteToFlip] ^= 0x01;

        Assert.False(receiver.TryUnprotectRtcp(srtcp, new byte[srtcp.Length], out int written));

        Assert.Equal(0, written);
        Assert.Equal(1, receiver.RtcpAuthenticationFailures);
        Assert.Equal(0, receiver.AuthenticationFailures);
    }

    [Fact]
    public void Unprotect_RejectsAClearedEFlag_WhichTheTagCovers()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var rtcp = Rtcp();
        var srtcp = Protect(sender, rtcp);
        srtcp[rtcp.Length] &= 0x7F;

        Assert.False(receiver.TryUnprotectRtcp(srtcp, new byte[srtcp.Length], out _));
        Assert.Equal(1, receiver.RtcpAuthenticationFailures);
    }

    [Fact]
    public void Unprotect_RejectsAPacketProtectedWithAnotherKey()
    {
        using var sender = new SrtpContext(SrtpMasterKey.CreateRandom());
        using var receiver = new SrtpContext(Key);

        Assert.False(receiver.TryUnprotectRtcp(Protect(sender, Rtcp()), new byte[128], out _));
        Assert.Equal(1, receiver.RtcpAuthenticationFailures);
    }

    [Fact]
    public void Unprotect_RejectsAReplayedIndex_ButAcceptsLateUnseenOnesInsideTheWindow()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var packets = Enumerable.Range(0, 100).Select(i => Protect(sender, Rtcp(packets: (uint)i))).ToArray();
        var buffer = new byte[256];

        Assert.True(receiver.TryUnprotectRtcp(packets[0], buffer, out _));
        Assert.False(receiver.TryUnprotectRtcp(packets[0], buffer, out _));
        Assert.True(receiver.TryUnprotectRtcp(packets[80], buffer, out _));
        Assert.True(receiver.TryUnprotectRtcp(packets[30], buffer, out _));
        Assert.False(receiver.TryUnprotectRtcp(packets[30], buffer, out _));
        Assert.False(receiver.TryUnprotectRtcp(packets[10], buffer, out _));

        Assert.Equal(3, receiver.RtcpReplaysRejected);
        Assert.Equal(0, receiver.RtcpAuthenticationFailures);
        Assert.Equal(0, receiver.ReplaysRejected);
    }

    [Fact]
    public void Unprotect_KeepsOneReplayWindowPerSenderSsrc()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var first = Protect(sender, Rtcp(ssrc: 1));
        var second = Protect(sender, Rtcp(ssrc: 2));
        var buffer = new byte[256];

        Assert.True(receiver.TryUnprotectRtcp(second, buffer, out _));
        Assert.True(receiver.TryUnprotectRtcp(first, buffer, out _));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x80, 0xC8, 0, 1 })]
    [InlineData(new byte[] { 0x40, 0xC8, 0, 6, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 })]
    public void TryMethods_ReturnFalse_OnPacketsThatAreNotRtcp(byte[] garbage)
    {
        using var context = new SrtpContext(Key);
        var buffer = new byte[64];

        Assert.False(context.TryProtectRtcp(garbage, buffer, out _));
        Assert.False(context.TryUnprotectRtcp(garbage, buffer, out _));
        Assert.Equal(0, context.RtcpPacketsProtected);
    }

    [Fact]
    public void TryProtectRtcp_ReturnsFalse_WhenTheDestinationHasNoRoomForIndexAndTag()
    {
        using var context = new SrtpContext(Key);
        var rtcp = Rtcp();

        Assert.False(context.TryProtectRtcp(rtcp, new byte[rtcp.Length + SrtpContext.RtcpOverhead - 1], out _));
        Assert.Equal(0, context.RtcpPacketsProtected);
    }

    [Fact]
    public void TryMethods_ReturnFalse_AfterDispose()
    {
        var context = new SrtpContext(Key);
        var srtcp = Protect(context, Rtcp());
        context.Dispose();

        Assert.False(context.TryProtectRtcp(Rtcp(), new byte[128], out _));
        Assert.False(context.TryUnprotectRtcp(srtcp, new byte[128], out _));
    }
}
