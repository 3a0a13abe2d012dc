using System.Net;
using Siprec.Media.Rtp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Rtp;

/// <summary><see cref="RtpSocket.SendBatch"/>: several datagrams in one sendmmsg(2) on Linux (a loop elsewhere), over real loopback.</summary>
public sealed class RtpSocketBatchTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABatch_DeliversEveryDatagramWithItsExactBytes_InOrder(bool connected)
    {
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        await using var receiver = new PacketCollector();
        if (connected) Assert.True(sender.Connect(receiver.EndPoint));
        var packets = Enumerable.Range(0, RtpSocket.MaxBatch).Select(i => Packet(i, 12 + (i * 7 % 200))).ToList();
        var buffer = packets.SelectMany(p => p).ToArray();

        int sent = sender.SendBatch(buffer, packets.Select(p => p.Length).ToArray(), receiver.EndPoint);

        Assert.Equal(packets.Count, sent);
        var got = await receiver.WaitForAsync(packets.Count);
        Assert.Equal(packets, got.Select(g => g.Packet));
        Assert.All(got, g => Assert.Equal(sender.LocalEndPoint, g.Remote));
        Assert.Equal(packets.Count, sender.PacketsSent);
        Assert.Equal(0, sender.SendErrors);
    }

    [Fact]
    public async Task ABatchToAClosedPortOfAConnectedSocket_ReportsPortUnreachable_AndCountsTheDroppedDatagrams()
    {
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        IPEndPoint gone;
        await using (var closed = RtpSocket.Bind(IPAddress.Loopback)) gone = closed.LocalEndPoint;
        Assert.True(sender.Connect(gone));
        int reports = 0;
        sender.PortUnreachable += _ => Interlocked.Increment(ref reports);
        sender.Start((_, _) => { });
        var buffer = new byte[4 * 20];

        // The first batch provokes the ICMP error; a later one (or the receive side) reports it.
        await Poll.UntilAsync(() => Volatile.Read(ref reports) > 0, TimeSpan.FromSeconds(10), "an ICMP port unreachable report",
            () => sender.SendBatch(buffer, [20, 20, 20, 20], gone));
        Assert.True(sender.PortUnreachableCount > 0);
    }

    [Fact]
    public async Task LengthsBeyondTheBuffer_OrTooManyDatagrams_AreRefused()
    {
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        var to = new IPEndPoint(IPAddress.Loopback, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.SendBatch(new byte[10], [6, 6], to));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.SendBatch(new byte[100], new int[RtpSocket.MaxBatch + 1], to));
        Assert.Equal(0, sender.SendBatch([], [], to));
    }

    private static byte[] Packet(int index, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)(index * 31 + i);
        return bytes;
    }
}
