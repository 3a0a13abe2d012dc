using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Srtp;

/// <summary>
/// Our SRTP/SRTCP against a foreign implementation, Debian's libsrtp2 (package <c>libsrtp2-1</c>): what one side protects
/// the other unprotects, for both suites. Skipped with the reason when the library is absent; a failure under CI=true.
/// </summary>
public sealed class LibSrtpInteropTests
{
    private static byte[] Rtcp(uint packets)
    {
        var block = new RtcpReportBlock(0x11223344, 25, 3, 0x0001_0005, 42, 0xAABBCCDD, 0x00018000);
        var compound = new RtcpCompoundPacket(
        [
            new RtcpReceiverReport(0x5EC0DE01, [block with { ExtendedHighestSequence = packets }]),
            new RtcpSourceDescription(0x5EC0DE01, "srs@127.0.0.1"),
        ]);
        var buffer = new byte[256];
        return buffer.AsSpan(0, compound.Write(buffer)).ToArray();
    }

    private static byte[] Rtp(ushort sequence)
    {
        var packet = new byte[RtpHeader.Size + 160];
        new RtpHeader(0, false, sequence, sequence * 160u, 0xCAFEF00D).Write(packet);
        for (int i = 0; i < 160; i++) packet[RtpHeader.Size + i] = (byte)(sequence * 7 + i);
        return packet;
    }

    [SkippableTheory]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_80)]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_32)]
    public void OurSrtcp_IsUnprotectedByLibSrtp(SrtpCryptoSuite suite)
    {
        Peers.RequireLibrary(LibSrtp.Library, LibSrtp.Package);
        var key = SrtpMasterKey.CreateRandom();
        using var ours = new SrtpContext(key, suite);
        using var libsrtp = new LibSrtp(key, suite, outbound: false);

        for (uint i = 0; i < 5; i++)
        {
            var rtcp = Rtcp(i);
            var srtcp = new byte[rtcp.Length + SrtpContext.RtcpOverhead];
            Assert.True(ours.TryProtectRtcp(rtcp, srtcp, out _));

            Assert.Equal(0, libsrtp.TryUnprotectRtcp(srtcp, out var back));
            Assert.Equal(rtcp, back);
        }
    }

    [SkippableTheory]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_80)]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_32)]
    public void LibSrtpSrtcp_IsUnprotectedByOurs(SrtpCryptoSuite suite)
    {
        Peers.RequireLibrary(LibSrtp.Library, LibSrtp.Package);
        var key = SrtpMasterKey.CreateRandom();
        using var libsrtp = new LibSrtp(key, suite, outbound: true);
        using var ours = new SrtpContext(key, suite);
        var buffer = new byte[512];

        for (uint i = 0; i < 5; i++)
        {
            var rtcp = Rtcp(i);
            var srtcp = libsrtp.ProtectRtcp(rtcp);
            Assert.Equal(rtcp.Length + SrtpContext.RtcpOverhead, srtcp.Length);

            Assert.True(ours.TryUnprotectRtcp(srtcp, buffer, out int written));
            Assert.Equal(rtcp, buffer.AsSpan(0, written).ToArray());
            Assert.False(ours.TryUnprotectRtcp(srtcp, buffer, out _));
        }
        Assert.Equal(5, ours.RtcpReplaysRejected);
        Assert.Equal(0, ours.RtcpAuthenticationFailures);
    }

    [SkippableFact]
    public void LibSrtp_RejectsOurSrtcpWhenATagByteIsFlipped()
    {
        Peers.RequireLibrary(LibSrtp.Library, LibSrtp.Package);
        var key = SrtpMasterKey.CreateRandom();
        using var ours = new SrtpContext(key);
        using var libsrtp = new LibSrtp(key, SrtpCryptoSuite.AesCm128HmacSha1_80, outbound: false);
        var rtcp = Rtcp(1);
        var srtcp = new byte[rtcp.Length + SrtpContext.RtcpOverhead];
        Assert.True(ours.TryProtectRtcp(rtcp, srtcp, out _));
        srtcp[^1] ^= 0x80;

        Assert.NotEqual(0, libsrtp.TryUnprotectRtcp(srtcp, out _));
    }

    [SkippableTheory]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_80)]
    [InlineData(SrtpCryptoSuite.AesCm128HmacSha1_32)]
    public void Srtp_RoundTripsBothWaysWithLibSrtp(SrtpCryptoSuite suite)
    {
        Peers.RequireLibrary(LibSrtp.Library, LibSrtp.Package);
        var key = SrtpMasterKey.CreateRandom();
        using var ourSender = new SrtpContext(key, suite);
        using var ourReceiver = new SrtpContext(key, suite);
        using var libSender = new LibSrtp(key, suite, outbound: true);
        using var libReceiver = new LibSrtp(key, suite, outbound: false);
        var buffer = new byte[512];

        foreach (ushort sequence in new ushort[] { 65534, 65535, 0, 1 })
        {
            var rtp = Rtp(sequence);
            Assert.True(ourSender.TryProtect(rtp, buffer, out int written));
            Assert.Equal(rtp, libReceiver.Unprotect(buffer[..written]));

            var fromLib = libSender.Protect(rtp);
            Assert.Equal(rtp.Length + ourReceiver.TagLength, fromLib.Length);
            Assert.True(ourReceiver.TryUnprotect(fromLib, buffer, out written), $"sequence {sequence}");
            Assert.Equal(rtp, buffer.AsSpan(0, written).ToArray());
        }
    }
}
