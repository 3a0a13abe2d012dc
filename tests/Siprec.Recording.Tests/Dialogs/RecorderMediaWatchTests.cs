using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Recording.Dialogs;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

/// <summary>
/// <see cref="RecorderMediaWatch"/> over real loopback sockets on a fake clock: the kernel's ICMP port-unreachable for a
/// closed recorder port, and RTCP that stops, end a recorder; one stray error or a recorder that never sends RTCP does not.
/// </summary>
public sealed class RecorderMediaWatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _clock = new();

    private static byte[] CallerPacket(ushort sequence)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234);
        return packet;
    }

    private RtpForwarder Forwarder()
    {
        var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
        return new RtpForwarder(rtp, rtcp, _clock, new RtpForwarderOptions { RtcpInterval = TimeSpan.Zero });
    }

    private static IPEndPoint ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!; // closed again when disposed: nothing listens there
    }

    // Sends one packet to the closed port and waits (bounded) for its ICMP error to be counted.
    private static async Task ProvokeUnreachableAsync(RtpForwarder forwarder, ushort sequence)
    {
        var before = forwarder.Socket.PortUnreachableCount;
        forwarder.Forward(CallerPacket(sequence));
        await Poll.UntilAsync(() => forwarder.Socket.PortUnreachableCount > before, Bound, "the ICMP port unreachable to be counted");
    }

    [Fact]
    public async Task PortUnreachable_ForTwoSeconds_EndsTheRecorder_AsMediaUnreachable()
    {
        await using var forwarder = Forwarder();
        forwarder.Destination = ClosedPort();
        RecorderFailure? dead = null;
        using var watch = new RecorderMediaWatch([forwarder], _clock, TimeSpan.FromSeconds(2), TimeSpan.Zero, f => dead = f);
        var firstCheck = _clock.GetUtcNow();

        for (ushort second = 0; second < 2; second++)
        {
            await ProvokeUnreachableAsync(forwarder, second);
            watch.Check();
            Assert.Null(dead);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        await ProvokeUnreachableAsync(forwarder, 2);
        watch.Check();

        Assert.NotNull(dead);
        Assert.Equal(RecorderFailureCause.MediaUnreachable, dead.Cause);
        Assert.Equal(503, dead.ErrorCode);
        Assert.Contains("RTP port answers ICMP port unreachable for 2 s", dead.Detail, StringComparison.Ordinal);
        Assert.Equal(firstCheck - RecorderMediaWatch.CheckInterval, dead.LostSince); // the audio lost while detecting counts in a failover's gap
    }

    [Fact]
    public async Task RtcpPortUnreachable_EndsNothing_WhileTheRtpPortIsOpen()
    {
        // Many recorders never open RTP port + 1: our sender reports then earn ICMP errors that say nothing about the audio.
        using var recorderRtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var forwarder = Forwarder();
        forwarder.Destination = (IPEndPoint)recorderRtp.Client.LocalEndPoint!;
        forwarder.RtcpDestination = ClosedPort();
        RecorderFailure? dead = null;
        using var watch = new RecorderMediaWatch([forwarder], _clock, TimeSpan.FromSeconds(2), TimeSpan.Zero, f => dead = f);
        var probe = new byte[8];
        probe[0] = 0x80;
        probe[1] = 201; // an empty RR: enough to earn the ICMP error from the closed RTCP port

        for (var second = 0; second < 5; second++)
        {
            var before = forwarder.RtcpSocket.PortUnreachableCount;
            forwarder.RtcpSocket.TrySend(probe, forwarder.RtcpDestination!);
            await Poll.UntilAsync(() => forwarder.RtcpSocket.PortUnreachableCount > before, Bound, "the RTCP port's ICMP error");
            forwarder.Forward(CallerPacket((ushort)second));
            watch.Check();
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(dead);
        Assert.Equal(0, forwarder.Socket.PortUnreachableCount);
    }

    [Fact]
    public async Task OneStrayPortUnreachable_EndsNothing()
    {
        await using var forwarder = Forwarder();
        forwarder.Destination = ClosedPort();
        RecorderFailure? dead = null;
        using var watch = new RecorderMediaWatch([forwarder], _clock, TimeSpan.FromSeconds(2), TimeSpan.Zero, f => dead = f);

        await ProvokeUnreachableAsync(forwarder, 0);
        for (var second = 0; second < 10; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            watch.Check();
        }

        Assert.Null(dead);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RtcpThatStops_EndsTheRecorder_AfterTheSilenceTimeout_AndNoRtcpAtAllEndsNothing(bool secure)
    {
        using var peerRtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var rtpPort = ((IPEndPoint)peerRtp.Client.LocalEndPoint!).Port;
        using var peerRtcp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var forwarder = Forwarder();
        // A secure recorder's reports are SRTCP under its own key (RFC 3711 §3.4); one under any other key is not heard.
        var recorderKey = SrtpMasterKey.CreateRandom();
        using var recorderSends = new SrtpContext(recorderKey);
        using var recorderAtSrc = new SrtpContext(recorderKey);
        using var srcSends = new SrtpContext(SrtpMasterKey.CreateRandom());
        using var forger = new SrtpContext(SrtpMasterKey.CreateRandom());
        if (secure)
        {
            forwarder.Srtp = srcSends;
            forwarder.RecorderSrtp = recorderAtSrc;
        }
        forwarder.Destination = new IPEndPoint(IPAddress.Loopback, rtpPort);
        forwarder.RtcpDestination = (IPEndPoint)peerRtcp.Client.LocalEndPoint!;
        RecorderFailure? dead = null;
        using var watch = new RecorderMediaWatch([forwarder], _clock, TimeSpan.Zero, TimeSpan.FromSeconds(25), f => dead = f);

        _clock.Advance(TimeSpan.FromSeconds(60));
        watch.Check();
        Assert.Null(dead); // a recorder that never sent RTCP is not judged by silence

        var report = new RtcpCompoundPacket([new RtcpReceiverReport(0xBEEF, []), new RtcpSourceDescription(0xBEEF, "srs@test")]);
        var bytes = new byte[report.Length + SrtpContext.RtcpOverhead];
        int length = report.Write(bytes);
        if (secure) Assert.True(recorderSends.TryProtectRtcp(bytes.AsSpan(0, length), bytes, out length));
        await peerRtcp.SendAsync(bytes.AsMemory(0, length), forwarder.RtcpSocket.LocalEndPoint);
        await Poll.UntilAsync(() => forwarder.LastRtcpReceivedAt is not null, Bound, "the recorder's RTCP to be read");
        var heard = forwarder.LastRtcpReceivedAt;

        _clock.Advance(TimeSpan.FromSeconds(20));
        if (secure)
        {
            length = report.Write(bytes);
            Assert.True(forger.TryProtectRtcp(bytes.AsSpan(0, length), bytes, out length));
            await peerRtcp.SendAsync(bytes.AsMemory(0, length), forwarder.RtcpSocket.LocalEndPoint);
            await Poll.UntilAsync(() => forwarder.RtcpPacketsRejected == 1, Bound, "the forged SRTCP to be rejected");
        }
        _clock.Advance(TimeSpan.FromSeconds(4));
        watch.Check();
        Assert.Null(dead);
        _clock.Advance(TimeSpan.FromSeconds(1));
        watch.Check();

        Assert.NotNull(dead);
        Assert.Equal(RecorderFailureCause.RtcpSilence, dead.Cause);
        Assert.Contains("RFC 3550 §6.3.5", dead.Detail, StringComparison.Ordinal);
        Assert.Equal(heard, dead.LostSince);
    }

    [Fact]
    public async Task OnDead_IsCalledOnce_AndNeverAfterDispose()
    {
        await using var forwarder = Forwarder();
        forwarder.Destination = ClosedPort();
        var calls = 0;
        var watch = new RecorderMediaWatch([forwarder], _clock, TimeSpan.FromSeconds(1), TimeSpan.Zero, _ => calls++);
        await ProvokeUnreachableAsync(forwarder, 0);
        watch.Check();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await ProvokeUnreachableAsync(forwarder, 1);
        watch.Check();
        watch.Check();
        watch.Dispose();
        watch.Check();
        Assert.Equal(1, calls);
    }
}
