using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Media.Tests.Rtp;

namespace Siprec.Media.Tests.Forwarding;

public sealed class RtpForwarderSrtpTests
{
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
}
