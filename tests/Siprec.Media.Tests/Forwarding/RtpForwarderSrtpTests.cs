using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Media.Tests.Rtp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Forwarding;

public sealed class RtpForwarderSrtpTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static byte[] Source(ushort sequence, byte fill)
    {
        var packet = new byte[RtpHeader.Size + 160];
        new RtpHeader(0, false, sequence, sequence * 160u, 0x5EED).Write(packet);
        packet.AsSpan(RtpHeader.Size).Fill(fill);
        return packet;
    }

    [Fact]
    public async Task Forward_WithAnSrtpContext_SendsPacketsTheRecordersKeyDecrypts()
    {
        var key = SrtpMasterKey.CreateRandom();
        using var sending = new SrtpContext(key);
        using var receiving = new SrtpContext(key);
        await using var recorder = new PacketCollector();
        await using var forwarder = new RtpForwarder(RtpSocket.Bind(IPAddress.Loopback)) { Destination = recorder.EndPoint, Srtp = sending };

        for (int i = 0; i < 4; i++) forwarder.Forward(Source((ushort)(65534 + i), (byte)(0x10 + i)));

        var got = (await recorder.WaitForAsync(4)).Select(r => r.Packet).ToList();
        Assert.All(got, p => Assert.Equal(RtpHeader.Size + 160 + sending.TagLength, p.Length));
        // Encrypted: the 160 equal plaintext bytes are no longer one repeated byte (two given bytes may match by chance, 1 in 256).
        Assert.All(got, p => Assert.True(p.AsSpan(RtpHeader.Size, 160).IndexOfAnyExcept(p[RtpHeader.Size]) >= 0, "payload sent in clear"));
        var fills = new List<byte>();
        foreach (var packet in got)
        {
            Assert.True(receiving.TryUnprotect(packet, packet, out int length));
            Assert.True(RtpHeader.TryRead(packet.AsSpan(0, length), out var header, out int offset));
            Assert.Equal(forwarder.Ssrc, header.Ssrc);
            Assert.True(packet.AsSpan(offset, length - offset).IndexOfAnyExcept(packet[offset]) < 0);
            fills.Add(packet[offset]);
        }
        Assert.Equal(new byte[] { 0x10, 0x11, 0x12, 0x13 }, fills);
        Assert.Equal(0, forwarder.PacketsInvalid);
    }

    [Fact]
    public async Task ASecureRecorder_GetsSrtcpSenderReports_AndItsSrtcpReceiverReportsAreRead()
    {
        var clock = new ManualTimeProvider();
        var forwarderKey = SrtpMasterKey.CreateRandom();
        var recorderKey = SrtpMasterKey.CreateRandom();
        using var sending = new SrtpContext(forwarderKey, SrtpCryptoSuite.AesCm128HmacSha1_32);
        using var recorderReceives = new SrtpContext(forwarderKey, SrtpCryptoSuite.AesCm128HmacSha1_32);
        using var recorderSends = new SrtpContext(recorderKey, SrtpCryptoSuite.AesCm128HmacSha1_32);
        using var recorderAtForwarder = new SrtpContext(recorderKey, SrtpCryptoSuite.AesCm128HmacSha1_32);
        await using var recorder = new LossyRecorder(clock, dropEvery: 10, forwarderKey: recorderReceives, ownKey: recorderSends);
        var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
        await using var forwarder = new RtpForwarder(rtp, rtcp, clock)
        {
            Srtp = sending, RecorderSrtp = recorderAtForwarder, Destination = recorder.RtpEndPoint,
        };

        for (int i = 0; i < 100; i++) forwarder.Forward(Source((ushort)(500 + i), 0x55));
        await Poll.UntilAsync(() => recorder.Seen == 100, Bound, "100 SRTP packets the recorder's key authenticates");
        clock.Advance(TimeSpan.FromSeconds(4));
        await Poll.UntilAsync(() => forwarder.LatestRecorderReport is not null, Bound, "the recorder's SRTCP RR at the forwarder");

        var sr = Assert.Single(recorder.SenderReports);
        Assert.Equal(100u, sr.PacketCount);
        Assert.Equal(1, sending.RtcpPacketsProtected);
        Assert.Equal(10, forwarder.LatestRecorderReport!.CumulativeLost);
        Assert.Equal(LossyRecorder.Ssrc, forwarder.LatestRecorderReport.ReporterSsrc);
        Assert.NotNull(forwarder.LastRtcpReceivedAt);
        Assert.Equal(0, forwarder.RtcpPacketsRejected);
    }

    [Fact]
    public async Task OnASecureStream_PlainRtcpAndSrtcpThatFailsAuthentication_AreDroppedAndCounted_NeverBelieved()
    {
        var clock = new ManualTimeProvider();
        using var sending = new SrtpContext(SrtpMasterKey.CreateRandom());
        var recorderKey = SrtpMasterKey.CreateRandom();
        using var recorderAtForwarder = new SrtpContext(recorderKey);
        using var impostor = new SrtpContext(SrtpMasterKey.CreateRandom());
        using var recorderSends = new SrtpContext(recorderKey);
        var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
        await using var forwarder = new RtpForwarder(rtp, rtcp, clock) { Srtp = sending };
        await using var peer = RtpSocket.Bind(IPAddress.Loopback);
        var report = new RtcpCompoundPacket([new RtcpReceiverReport(7, [new RtcpReportBlock(forwarder.Ssrc, 255, 999, 0, 0, 0, 0)])]);
        var plain = new byte[report.Length];
        report.Write(plain);

        peer.Send(plain, forwarder.RtcpSocket.LocalEndPoint);
        peer.Send(Protect(recorderSends, plain), forwarder.RtcpSocket.LocalEndPoint); // before the recorder's key is known
        await Poll.UntilAsync(() => forwarder.RtcpPacketsRejected == 2, Bound, "plain RTCP and SRTCP before the key, rejected");
        forwarder.RecorderSrtp = recorderAtForwarder;
        peer.Send(Protect(impostor, plain), forwarder.RtcpSocket.LocalEndPoint);
        var tampered = Protect(recorderSends, plain);
        tampered[^1] ^= 0x01;
        peer.Send(tampered, forwarder.RtcpSocket.LocalEndPoint);

        await Poll.UntilAsync(() => forwarder.RtcpPacketsRejected == 4, Bound, "four rejected RTCP datagrams");
        Assert.Null(forwarder.LatestRecorderReport);
        Assert.Null(forwarder.LastRtcpReceivedAt);
        Assert.Equal(0, forwarder.RtcpPacketsReceived);
        Assert.Equal(2, recorderAtForwarder.RtcpAuthenticationFailures);
    }

    private static byte[] Protect(SrtpContext context, byte[] rtcp)
    {
        var srtcp = new byte[rtcp.Length + SrtpContext.RtcpOverhead];
        Assert.True(context.TryProtectRtcp(rtcp, srtcp, out _));
        return srtcp;
    }
}
