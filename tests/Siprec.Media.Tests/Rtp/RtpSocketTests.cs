using System.Net;
using System.Net.Sockets;
using Siprec.Media.Rtp;

namespace Siprec.Media.Tests.Rtp;

public sealed class RtpSocketTests
{
    [Fact]
    public async Task Bind_WithPortZero_PicksAnEvenPort()
    {
        for (int i = 0; i < 5; i++)
        {
            await using var socket = RtpSocket.Bind(IPAddress.Loopback);
            Assert.Equal(0, socket.LocalEndPoint.Port % 2);
            Assert.NotEqual(0, socket.LocalEndPoint.Port);
        }
    }

    [Fact]
    public async Task Bind_ToAPortInUse_Throws()
    {
        await using var first = RtpSocket.Bind(IPAddress.Loopback);
        Assert.Throws<SocketException>(() => RtpSocket.Bind(IPAddress.Loopback, first.LocalEndPoint.Port));
    }

    [Fact]
    public async Task Send_OverLoopback_DeliversTheExactBytesAndTheSenderAddress()
    {
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        await using var receiver = new PacketCollector();
        byte[] payload = [0x80, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 42, 0xFF, 0xFE];

        sender.Send(payload, receiver.EndPoint);
        sender.Send(payload.AsSpan(0, 12), receiver.EndPoint);

        var got = await receiver.WaitForAsync(2);
        Assert.Equal(payload, got[0].Packet);
        Assert.Equal(payload[..12], got[1].Packet);
        Assert.Equal(sender.LocalEndPoint, got[0].Remote);
        Assert.Equal(2, sender.PacketsSent);
        Assert.Equal(2, receiver.Socket.PacketsReceived);
    }

    [Fact]
    public async Task ReceiveLoop_SurvivesAHandlerThatThrows()
    {
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        await using var receiver = RtpSocket.Bind(IPAddress.Loopback);
        var seen = new List<byte>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Start((packet, _) =>
        {
            lock (seen) seen.Add(packet[0]);
            if (packet[0] == 1) throw new InvalidOperationException("handler bug");
            second.TrySetResult();
        });

        sender.Send([1], receiver.LocalEndPoint);
        sender.Send([2], receiver.LocalEndPoint);

        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (seen) Assert.Equal(new byte[] { 1, 2 }, seen);
    }

    [Fact]
    public async Task ReceiveLoop_KeepsRunning_AfterSendingToAClosedPort()
    {
        await using var socket = new PacketCollector();
        await using var peer = RtpSocket.Bind(IPAddress.Loopback);
        var closed = RtpSocket.Bind(IPAddress.Loopback);
        var closedEndPoint = closed.LocalEndPoint;
        await closed.DisposeAsync();

        for (int i = 0; i < 3; i++) socket.Socket.Send([9], closedEndPoint);
        peer.Send([7], socket.EndPoint);

        var got = await socket.WaitForAsync(1);
        Assert.Equal(new byte[] { 7 }, got[0].Packet);
    }

    [Fact]
    public async Task Send_AfterDispose_CountsAnErrorInsteadOfThrowing()
    {
        var socket = RtpSocket.Bind(IPAddress.Loopback);
        socket.Start((_, _) => { });
        await socket.DisposeAsync();
        await socket.DisposeAsync();

        socket.Send([1, 2, 3], new IPEndPoint(IPAddress.Loopback, 9));
        Assert.Equal(1, socket.SendErrors);
        Assert.Equal(0, socket.PacketsSent);
    }

    [Fact]
    public async Task Start_Twice_Throws()
    {
        await using var socket = RtpSocket.Bind(IPAddress.Loopback);
        socket.Start((_, _) => { });
        Assert.Throws<InvalidOperationException>(() => socket.Start((_, _) => { }));
    }
}
