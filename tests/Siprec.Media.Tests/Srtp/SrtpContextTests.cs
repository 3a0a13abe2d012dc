using Siprec.Media.Rtp;
using Siprec.Media.Srtp;

namespace Siprec.Media.Tests.Srtp;

public sealed class SrtpContextTests
{
    private static readonly SrtpMasterKey Key = new(Enumerable.Range(1, SrtpMasterKey.Length).Select(i => (byte)i).ToArray());

    private static byte[] Rtp(ushort sequence, uint ssrc = 0xCAFEF00D, int payload = 160)
    {
        var packet = new byte[RtpHeader.Size + payload];
        new RtpHeader(0, false, sequence, sequence * 160u, ssrc).Write(packet);
        for (int i = 0; i < payload; i++) packet[RtpHeader.Size + i] = (byte)(sequence + i);
        return packet;
    }

    private static byte[] Protect(SrtpContext context, byte[] rtp)
    {
        var srtp = new byte[rtp.Length + context.TagLength];
        Assert.True(context.TryProtect(rtp, srtp, out int written));
        Assert.Equal(srtp.Length, written);
        return srtp;
    }

    [Theory]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_80, 10)]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_32, 4)]
    public void ProtectThenUnprotect_GivesBackTheRtpPacket_AndEncryptsOnlyThePayload(SrtpCryptoSuite suite, int tagLength)
    {
        using var sender = new SrtpContext(Key, suite);
        using var receiver = new SrtpContext(Key, suite);
        var rtp = Rtp(1000);

        var srtp = Protect(sender, rtp);

        Assert.Equal(tagLength, sender.TagLength);
        Assert.Equal(rtp.AsSpan(0, RtpHeader.Size).ToArray(), srtp.AsSpan(0, RtpHeader.Size).ToArray());
        Assert.NotEqual(rtp.AsSpan(RtpHeader.Size).ToArray(), srtp.AsSpan(RtpHeader.Size, rtp.Length - RtpHeader.Size).ToArray());
        var back = new byte[srtp.Length];
        Assert.True(receiver.TryUnprotect(srtp, back, out int written));
        Assert.Equal(rtp, back.AsSpan(0, written).ToArray());
    }

    [Fact]
    public void Unprotect_WorksInPlace()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var rtp = Rtp(7);
        var buffer = Protect(sender, rtp);

        Assert.True(receiver.TryUnprotect(buffer, buffer, out int written));

        Assert.Equal(rtp, buffer.AsSpan(0, written).ToArray());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(-1)]
    public void Unprotect_RejectsATamperedPacket(int byteToFlip)
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var srtp = Protect(sender, Rtp(1));
        srtp[byteToFlip < 0 ? srtp.Length - 1 : byteToFlip] ^= 0x01;

        Assert.False(receiver.TryUnprotect(srtp, new byte[srtp.Length], out int written));

        Assert.Equal(0, written);
        Assert.Equal(1, receiver.AuthenticationFailures);
    }

    [Fact]
    public void Unprotect_RejectsAPacketProtectedWithAnotherKey()
    {
        using var sender = new SrtpContext(SrtpMasterKey.CreateRandom());
        using var receiver = new SrtpContext(Key);
        var srtp = Protect(sender, Rtp(1));

        Assert.False(receiver.TryUnprotect(srtp, new byte[srtp.Length], out _));
        Assert.Equal(1, receiver.AuthenticationFailures);
    }

    [Fact]
    public void Unprotect_RejectsAReplay_ButAcceptsLateUnseenPacketsInsideTheWindow()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var packets = Enumerable.Range(0, 100).Select(i => Protect(sender, Rtp((ushort)(500 + i)))).ToArray();
        var buffer = new byte[512];

        Assert.True(receiver.TryUnprotect(packets[0], buffer, out _));
        Assert.False(receiver.TryUnprotect(packets[0], buffer, out _));
        Assert.True(receiver.TryUnprotect(packets[80], buffer, out _));
        Assert.True(receiver.TryUnprotect(packets[30], buffer, out _));
        Assert.False(receiver.TryUnprotect(packets[30], buffer, out _));
        Assert.False(receiver.TryUnprotect(packets[10], buffer, out _));

        Assert.Equal(3, receiver.ReplaysRejected);
        Assert.Equal(0, receiver.AuthenticationFailures);
    }

    [Fact]
    public void ProtectAndUnprotect_FollowTheRolloverCounterAcrossSequence65535To0()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var buffer = new byte[512];

        foreach (ushort sequence in new ushort[] { 65533, 65534, 65535, 0, 1, 2 })
        {
            var rtp = Rtp(sequence);
            Assert.True(receiver.TryUnprotect(Protect(sender, rtp), buffer, out int written), $"sequence {sequence}");
            Assert.Equal(rtp, buffer.AsSpan(0, written).ToArray());
        }
    }

    [Fact]
    public void Unprotect_FailsAuthentication_WhenTheSenderRolledOverButTheReceiverDidNotSeeIt()
    {
        using var sender = new SrtpContext(Key);
        using var wrapped = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var buffer = new byte[512];
        Protect(sender, Rtp(65535));
        var afterWrap = Protect(sender, Rtp(0));
        // A receiver that starts at sequence 0 guesses ROC 0; the tag was computed with ROC 1.
        Assert.False(receiver.TryUnprotect(afterWrap, buffer, out _));
        Assert.True(wrapped.TryUnprotect(Protect(new SrtpContext(Key), Rtp(0)), buffer, out _));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x80, 0, 0, 1 })]
    [InlineData(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData(new byte[] { 0x8F, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public void TryMethods_ReturnFalse_OnPacketsThatAreNotRtp(byte[] garbage)
    {
        using var context = new SrtpContext(Key);
        var buffer = new byte[64];

        Assert.False(context.TryProtect(garbage, buffer, out _));
        Assert.False(context.TryUnprotect(garbage, buffer, out _));
    }

    [Fact]
    public void TryProtect_ReturnsFalse_WhenTheDestinationHasNoRoomForTheTag()
    {
        using var context = new SrtpContext(Key);
        var rtp = Rtp(1);

        Assert.False(context.TryProtect(rtp, new byte[rtp.Length + 9], out _));
    }

    [Fact]
    public void ToString_ShowsNoKeyMaterial()
    {
        using var context = new SrtpContext(Key);

        Assert.DoesNotContain(Convert.ToBase64String(Key.KeyAndSalt), context.ToString());
        Assert.DoesNotContain(Convert.ToHexString(Key.Key), Key.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
