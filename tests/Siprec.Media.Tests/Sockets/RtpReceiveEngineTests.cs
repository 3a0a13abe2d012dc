using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Siprec.Media.Rtp;
using Siprec.Media.Sockets;
using Siprec.Testing;

namespace Siprec.Media.Tests.Sockets;

/// <summary>
/// The Linux receive engine (epoll + recvmmsg on a few shared threads) behind <see cref="RtpSocket.Start"/>, on real
/// loopback sockets. Skipped where the engine does not run (not Linux, or <c>SIPREC_RTP_SYSCALLS=0</c>).
/// </summary>
public sealed class RtpReceiveEngineTests
{
    [SkippableFact]
    public async Task TwoHundredSockets_EachGetsItsOwnExactDatagrams_OnTheEngineThreadsOnly()
    {
        Skip.IfNot(LinuxSockets.IsSupported, "the receive engine runs on Linux only");
        const int Sockets = 200;
        const int PerSocket = 40; // more than one recvmmsg batch may queue per socket
        var received = new ConcurrentDictionary<int, ConcurrentQueue<(byte[] Packet, IPEndPoint From)>>();
        var threads = new ConcurrentDictionary<string, byte>();
        var receivers = new List<RtpSocket>();
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        try
        {
            for (int s = 0; s < Sockets; s++)
            {
                var index = s;
                var socket = RtpSocket.Bind(IPAddress.Loopback);
                receivers.Add(socket);
                received[index] = new ConcurrentQueue<(byte[], IPEndPoint)>();
                socket.Start((packet, from) =>
                {
                    received[index].Enqueue((packet.ToArray(), from));
                    threads.TryAdd(Thread.CurrentThread.Name ?? "?", 0);
                });
            }

            for (int n = 0; n < PerSocket; n++)
            {
                for (int s = 0; s < Sockets; s++) sender.Send(Datagram(s, n), receivers[s].LocalEndPoint);
            }

            await Poll.UntilAsync(() => received.Values.Sum(q => q.Count) == Sockets * PerSocket, TimeSpan.FromSeconds(20),
                $"{Sockets * PerSocket} datagrams at {Sockets} sockets");
            for (int s = 0; s < Sockets; s++)
            {
                var got = received[s].ToArray();
                Assert.Equal(Enumerable.Range(0, PerSocket).Select(n => Datagram(s, n)), got.Select(g => g.Packet).OrderBy(p => BitConverter.ToInt32(p, 4)));
                Assert.All(got, g => Assert.Equal(sender.LocalEndPoint, g.From));
                Assert.Equal(PerSocket, receivers[s].PacketsReceived);
            }
            Assert.All(threads.Keys, name => Assert.StartsWith("rtp-receive-", name, StringComparison.Ordinal));
            Assert.InRange(threads.Count, 1, RtpReceiveEngine.Shared.Threads);
        }
        finally
        {
            foreach (var socket in receivers) await socket.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task PairsFromBindPair_AreDeliveredOnOneThreadPerPair()
    {
        Skip.IfNot(LinuxSockets.IsSupported, "the receive engine runs on Linux only");
        Skip.If(RtpReceiveEngine.Shared.Threads < 2, "one receive thread on this machine (half its cores): every pair shares it trivially");
        const int Pairs = 40;
        var rtpThread = new ConcurrentDictionary<int, string>();
        var rtcpThread = new ConcurrentDictionary<int, string>();
        var pairs = new List<(RtpSocket Rtp, RtpSocket Rtcp)>();
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        try
        {
            for (int p = 0; p < Pairs; p++)
            {
                var index = p;
                var pair = RtpSocket.BindPair(IPAddress.Loopback);
                pairs.Add(pair);
                pair.Rtp.Start((_, _) => rtpThread[index] = Thread.CurrentThread.Name ?? "?");
                pair.Rtcp.Start((_, _) => rtcpThread[index] = Thread.CurrentThread.Name ?? "?");
            }
            for (int p = 0; p < Pairs; p++)
            {
                sender.Send(Datagram(p, 0), pairs[p].Rtp.LocalEndPoint);
                sender.Send(Datagram(p, 1), pairs[p].Rtcp.LocalEndPoint);
            }

            await Poll.UntilAsync(() => rtpThread.Count == Pairs && rtcpThread.Count == Pairs, TimeSpan.FromSeconds(20), "a datagram on every socket");
            Assert.All(Enumerable.Range(0, Pairs), p => Assert.Equal(rtpThread[p], rtcpThread[p]));
        }
        finally
        {
            foreach (var (rtp, rtcp) in pairs)
            {
                await rtp.DisposeAsync();
                await rtcp.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void WorkerOfAPort_KeepsRtpWithItsRtcp_AndSpreadsConsecutivePairsOverEveryThread(int workers)
    {
        // Sockets are registered RTP, RTCP, RTP, RTCP…: plain round robin put every RTP socket of the SRS on one thread
        // and every RTCP socket on the other (whatever the machine, so this checks the choice itself, not this machine's count).
        const int FirstPort = 30000;
        var rtpWorkers = Enumerable.Range(0, 4 * workers).Select(pair => RtpReceiveEngine.WorkerIndexOf(FirstPort + 2 * pair, workers)).ToList();
        var rtcpWorkers = Enumerable.Range(0, 4 * workers).Select(pair => RtpReceiveEngine.WorkerIndexOf(FirstPort + 2 * pair + 1, workers)).ToList();

        Assert.Equal(rtpWorkers, rtcpWorkers);
        Assert.All(Enumerable.Range(0, workers), w => Assert.Equal(4, rtpWorkers.Count(x => x == w)));
    }

    [SkippableFact]
    public async Task AfterDispose_TheHandlerIsNeverCalledAgain_AndOtherSocketsKeepReceiving()
    {
        Skip.IfNot(LinuxSockets.IsSupported, "the receive engine runs on Linux only");
        await using var sender = RtpSocket.Bind(IPAddress.Loopback);
        var closed = RtpSocket.Bind(IPAddress.Loopback);
        await using var open = RtpSocket.Bind(IPAddress.Loopback);
        int afterDispose = 0, disposedFlag = 0, openCount = 0;
        closed.Start((_, _) =>
        {
            if (Volatile.Read(ref disposedFlag) != 0) Interlocked.Increment(ref afterDispose);
        });
        open.Start((_, _) => Interlocked.Increment(ref openCount));
        var closedEndPoint = closed.LocalEndPoint;

        for (int i = 0; i < 50; i++) sender.Send(new byte[20], closedEndPoint);
        await closed.DisposeAsync();
        Volatile.Write(ref disposedFlag, 1);
        for (int i = 0; i < 50; i++)
        {
            sender.Send(new byte[20], closedEndPoint);
            sender.Send(new byte[20], open.LocalEndPoint);
        }

        await Poll.UntilAsync(() => Volatile.Read(ref openCount) == 50, TimeSpan.FromSeconds(10), "50 datagrams at the open socket");
        Assert.Equal(0, Volatile.Read(ref afterDispose));
    }

    [SkippableFact]
    public async Task AnOversizedDatagram_IsCountedAsAReceiveError_AndTheNextOneArrives()
    {
        Skip.IfNot(LinuxSockets.IsSupported, "the receive engine runs on Linux only");
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var receiver = RtpSocket.Bind(IPAddress.Loopback);
        var sizes = new ConcurrentQueue<int>();
        receiver.Start((packet, _) => sizes.Enqueue(packet.Length));

        raw.SendTo(new byte[RtpReceiveEngine.BufferSize + 100], receiver.LocalEndPoint);
        raw.SendTo(new byte[172], receiver.LocalEndPoint);

        await Poll.UntilAsync(() => !sizes.IsEmpty, TimeSpan.FromSeconds(10), "the normal datagram");
        Assert.Equal([172], sizes);
        Assert.Equal(1, receiver.ReceiveErrors);
    }

    private static byte[] Datagram(int socket, int sequence)
    {
        var bytes = new byte[172];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), socket);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), sequence);
        bytes.AsSpan(8).Fill((byte)(socket ^ sequence));
        return bytes;
    }
}
