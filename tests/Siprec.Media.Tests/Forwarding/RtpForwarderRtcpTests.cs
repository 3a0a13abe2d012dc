using System.Collections.Concurrent;
using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Forwarding;

public sealed class RtpForwarderRtcpTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _clock = new();
    private RtpForwarder _forwarder = null!;

    public Task InitializeAsync()
    {
        var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
        _forwarder = new RtpForwarder(rtp, rtcp, _clock, new RtpForwarderOptions { Cname = "src@test" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _forwarder.DisposeAsync();

    private static byte[] Source(int index)
    {
        var packet = new byte[12 + 160];
        new RtpHeader(0, false, (ushort)(500 + index), (uint)(1000 + 160 * index), 0xABCD).Write(packet);
        return packet;
    }

    [Fact]
    public void BindPair_GivesAnEvenRtpPortAndTheNextOddOne()
    {
        Assert.Equal(0, _forwarder.Socket.LocalEndPoint.Port % 2);
        Assert.Equal(_forwarder.Socket.LocalEndPoint.Port + 1, _forwarder.RtcpSocket.LocalEndPoint.Port);
    }

    [Fact]
    public async Task ARecorderThatDropsEveryTenthPacket_IsReportedWithThatLoss()
    {
        await using var recorder = new LossyRecorder(_clock, dropEvery: 10);
        _forwarder.Destination = recorder.RtpEndPoint;

        for (int i = 0; i < 100; i++) _forwarder.Forward(Source(i));
        await Poll.UntilAsync(() => recorder.Seen == 100, Bound, "100 RTP packets at the test recorder");

        Assert.Empty(recorder.SenderReports);
        _clock.Advance(TimeSpan.FromSeconds(4)); // the first SR is due within 2.5 s × [0.5, 1.5]
        await Poll.UntilAsync(() => _forwarder.LatestRecorderReport is not null, Bound, "the recorder's RR at the forwarder");

        var sr = Assert.Single(recorder.SenderReports);
        Assert.Equal(_forwarder.Ssrc, sr.Ssrc);
        Assert.Equal(100u, sr.PacketCount);
        Assert.Equal(100u * 160, sr.OctetCount);
        Assert.InRange(sr.NtpTimestamp.ToDateTimeOffset(), _clock.GetUtcNow() - TimeSpan.FromSeconds(4), _clock.GetUtcNow());
        Assert.Equal("src@test", recorder.Cname);
        Assert.Equal(_forwarder.RtcpSocket.LocalEndPoint.Port, recorder.SenderReportSource!.Port);

        var report = _forwarder.LatestRecorderReport!;
        Assert.Equal(10, report.CumulativeLost);               // packets 5, 15, …, 95
        Assert.Equal(25 / 256.0, report.FractionLost);         // floor(256 · 10 / 100) / 256
        Assert.Equal(LossyRecorder.Ssrc, report.ReporterSsrc);
        // The RR may be read while the fake clock is still at the SR timer's due time inside Advance, or after it.
        Assert.InRange(report.ReceivedAt, sr.NtpTimestamp.ToDateTimeOffset() - TimeSpan.FromMilliseconds(1), _clock.GetUtcNow());
        Assert.Equal(report.ReceivedAt, _forwarder.LastRtcpReceivedAt);
        Assert.NotNull(report.RoundTrip);                       // the recorder echoed the SR's LSR
        Assert.True(report.JitterMs >= 0);
    }

    [Fact]
    public async Task RoundTrip_IsArrivalMinusLsrMinusDlsr()
    {
        using var recorder = new UdpProbe();
        _forwarder.Destination = recorder.RtpEndPoint;
        _forwarder.RtcpDestination = recorder.EndPoint; // the RTCP socket is connected: only the recorder's RTCP port is heard
        var sentAt = NtpTimestamp.FromDateTimeOffset(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(2));
        // The recorder held the SR for 1.5 s: the round trip is the other 0.5 s.
        var block = new RtcpReportBlock(_forwarder.Ssrc, 64, 3, 1000, 80, sentAt.Middle32, NtpTimestamp.ToShortFormat(TimeSpan.FromSeconds(1.5)));
        recorder.Send(new RtcpCompoundPacket([new RtcpReceiverReport(7, [block]), new RtcpSourceDescription(7, "srs")]), _forwarder.RtcpSocket.LocalEndPoint);

        await Poll.UntilAsync(() => _forwarder.LatestRecorderReport is not null, Bound, "the RR at the forwarder");
        var report = _forwarder.LatestRecorderReport!;
        Assert.Equal(TimeSpan.FromMilliseconds(500), report.RoundTrip);
        Assert.Equal(0.25, report.FractionLost);
        Assert.Equal(3, report.CumulativeLost);
        Assert.Equal(10.0, report.JitterMs); // 80 timestamp units at 8000 Hz
    }

    [Fact]
    public async Task RtcpFromAnotherAddressThanTheRecorder_IsNotHeard()
    {
        using var recorder = new UdpProbe();
        using var stranger = new UdpProbe();
        _forwarder.Destination = recorder.RtpEndPoint;
        _forwarder.RtcpDestination = recorder.EndPoint;
        var block = new RtcpReportBlock(_forwarder.Ssrc, 255, 999, 0, 0, 0, 0);
        stranger.Send(new RtcpCompoundPacket([new RtcpReceiverReport(7, [block])]), _forwarder.RtcpSocket.LocalEndPoint);
        recorder.Send(new RtcpCompoundPacket([new RtcpReceiverReport(8, [block with { CumulativeLost = 1 }])]), _forwarder.RtcpSocket.LocalEndPoint);

        await Poll.UntilAsync(() => _forwarder.LatestRecorderReport is not null, Bound, "the recorder's RR");
        Assert.Equal(8u, _forwarder.LatestRecorderReport!.ReporterSsrc);
        Assert.Equal(1, _forwarder.RtcpPacketsReceived);
    }

    [Fact]
    public async Task ReportsAboutAnotherSsrc_OnlyMarkRtcpAsReceived()
    {
        using var recorder = new UdpProbe();
        var block = new RtcpReportBlock(_forwarder.Ssrc + 1, 0, 0, 0, 0, 0, 0);
        recorder.Send(new RtcpCompoundPacket([new RtcpReceiverReport(7, [block]), new RtcpSourceDescription(7, "srs")]), _forwarder.Socket.LocalEndPoint);

        await Poll.UntilAsync(() => _forwarder.LastRtcpReceivedAt is not null, Bound, "RTCP on the RTP port (RFC 5761 demultiplexing)");
        Assert.Null(_forwarder.LatestRecorderReport);
    }

    [Fact]
    public async Task SenderReports_KeepFlowingWhilePaused_AndGoToAnExplicitRtcpDestination()
    {
        using var recorder = new UdpProbe();
        _forwarder.Destination = recorder.RtpEndPoint;
        _forwarder.RtcpDestination = recorder.EndPoint;
        _forwarder.Forward(Source(0));
        _forwarder.Paused = true;

        for (int i = 0; i < 3; i++) _clock.Advance(TimeSpan.FromSeconds(7.5)); // ≥ one report per 7.5 s
        await Poll.UntilAsync(() => recorder.Received.Count >= 3, Bound, "three SRs while paused");

        Assert.All(recorder.Received, datagram =>
        {
            Assert.True(RtcpCompoundPacket.TryRead(datagram, out var compound));
            var sr = Assert.IsType<RtcpSenderReport>(compound!.Packets[0]);
            Assert.Equal(1u, sr.PacketCount);
            Assert.IsType<RtcpSourceDescription>(compound.Packets[1]);
        });
        Assert.True(_forwarder.RtcpReportsSent >= 3);
    }

    [Fact]
    public async Task Dispose_SendsAFinalSenderReportWithBye()
    {
        using var recorder = new UdpProbe();
        _forwarder.Destination = recorder.RtpEndPoint;
        _forwarder.RtcpDestination = recorder.EndPoint;
        _forwarder.Forward(Source(0));

        await _forwarder.DisposeAsync();

        await Poll.UntilAsync(() => !recorder.Received.IsEmpty, Bound, "the BYE");
        Assert.True(RtcpCompoundPacket.TryRead(recorder.Received.First(), out var compound));
        Assert.Equal([typeof(RtcpSenderReport), typeof(RtcpSourceDescription), typeof(RtcpBye)], compound!.Packets.Select(p => p.GetType()));
    }

    [Fact]
    public async Task ARecorderWhoseRtpPortIsClosed_IsReportedAsPortUnreachable()
    {
        var closed = ClosedLoopbackPort();
        DateTimeOffset? raised = null;
        _forwarder.PortUnreachable += f => raised ??= f.LastPortUnreachableAt;
        _forwarder.Destination = closed;
        int index = 0;

        await Poll.UntilAsync(() => _forwarder.PortUnreachableCount > 0, Bound, "ICMP port unreachable on the RTP socket",
            () => _forwarder.Forward(Source(index++)));

        Assert.True(_forwarder.Socket.PortUnreachableCount > 0);
        Assert.Equal(_clock.GetUtcNow(), _forwarder.LastPortUnreachableAt);
        await Poll.UntilAsync(() => raised is not null, Bound, "the PortUnreachable event");
    }

    [Fact]
    public async Task ARecorderWhoseRtcpPortIsClosed_IsReportedOnTheRtcpSocket()
    {
        using var recorder = new UdpProbe();
        _forwarder.Destination = recorder.RtpEndPoint;
        _forwarder.RtcpDestination = ClosedLoopbackPort();
        _forwarder.Forward(Source(0));

        await Poll.UntilAsync(() => _forwarder.RtcpSocket.PortUnreachableCount > 0, Bound, "ICMP port unreachable on the RTCP socket",
            () => _clock.Advance(TimeSpan.FromSeconds(7.5)));

        Assert.True(_forwarder.PortUnreachableCount >= _forwarder.RtcpSocket.PortUnreachableCount);
    }

    private static IPEndPoint ClosedLoopbackPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>A plain UDP socket that keeps every datagram; its RTP end point is a second, silent socket.</summary>
    private sealed class UdpProbe : IDisposable
    {
        private readonly RtpSocket _socket = RtpSocket.Bind(IPAddress.Loopback);
        private readonly RtpSocket _rtp = RtpSocket.Bind(IPAddress.Loopback);

        public UdpProbe() => _socket.Start((packet, _) => Received.Enqueue(packet.ToArray()));

        public ConcurrentQueue<byte[]> Received { get; } = new();
        public IPEndPoint EndPoint => _socket.LocalEndPoint;
        public IPEndPoint RtpEndPoint => _rtp.LocalEndPoint;

        public void Send(RtcpCompoundPacket packet, IPEndPoint to)
        {
            var bytes = new byte[packet.Length];
            packet.Write(bytes);
            _socket.Send(bytes, to);
        }

        public void Dispose()
        {
            _socket.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _rtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
