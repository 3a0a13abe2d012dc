using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtp;
using Siprec.Media.Tests.Rtp;

namespace Siprec.Media.Tests.Forwarding;

public sealed class RtpFanOutTests
{
    private static byte[] Packet(ushort sequence)
    {
        var packet = new byte[12 + 4];
        new RtpHeader(0, false, sequence, sequence * 160u, 1).Write(packet);
        return packet;
    }

    [Fact]
    public async Task Forward_SendsEachPacketToEveryForwarder_UntilOneIsRemoved()
    {
        await using var first = new PacketCollector();
        await using var second = new PacketCollector();
        await using var a = new RtpForwarder(RtpSocket.Bind(IPAddress.Loopback)) { Destination = first.EndPoint };
        await using var b = new RtpForwarder(RtpSocket.Bind(IPAddress.Loopback)) { Destination = second.EndPoint };
        var fanOut = new RtpFanOut();
        fanOut.Add(a);
        fanOut.Add(b);
        fanOut.Add(a);
        Assert.Equal(2, fanOut.Count);

        fanOut.Forward(Packet(1));
        Assert.True(fanOut.Remove(b));
        Assert.False(fanOut.Remove(b));
        fanOut.Forward(Packet(2));

        Assert.Equal(2, (await first.WaitForAsync(2)).Count);
        Assert.Single(await second.DrainWithProbeAsync(b.Socket));
        Assert.Equal(1, fanOut.Count);
    }

    [Fact]
    public async Task AddAndRemove_WhileForwardingOnAnotherThread_NeverLosesOrDuplicatesAForwarder()
    {
        var fanOut = new RtpFanOut();
        var forwarders = Enumerable.Range(0, 8).Select(_ => new RtpForwarder(RtpSocket.Bind(IPAddress.Loopback))).ToList();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var pump = Task.Run(() =>
        {
            var packet = Packet(1);
            while (!stop.IsCancellationRequested) fanOut.Forward(packet);
        });

        for (int round = 0; round < 200; round++)
        {
            foreach (var f in forwarders) fanOut.Add(f);
            Assert.Equal(forwarders.Count, fanOut.Count);
            foreach (var f in forwarders) Assert.True(fanOut.Remove(f));
            Assert.Equal(0, fanOut.Count);
        }
        stop.Cancel();
        await pump;
        foreach (var f in forwarders) await f.DisposeAsync();
    }
}
