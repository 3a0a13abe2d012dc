using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtp;
using Siprec.Media.Tests.Rtp;

namespace Siprec.Media.Tests.Forwarding;

public sealed class RtpForwarderTests : IAsyncLifetime
{
    private const uint SourceSsrc = 0xCAFEBABE;
    private PacketCollector _recorder = null!;
    private RtpForwarder _forwarder = null!;

    public Task InitializeAsync()
    {
        _recorder = new PacketCollector();
        _forwarder = new RtpForwarder(RtpSocket.Bind(IPAddress.Loopback)) { Destination = null };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _forwarder.DisposeAsync();
        await _recorder.DisposeAsync();
    }

    private static byte[] Source(ushort sequence, uint timestamp, byte fill, uint ssrc = SourceSsrc)
    {
        var packet = new byte[12 + 160];
        new RtpHeader(0, false, sequence, timestamp, ssrc).Write(packet);
        packet.AsSpan(12).Fill(fill);
        return packet;
    }

    private static RtpHeader Header(byte[] packet)
    {
        Assert.True(RtpHeader.TryRead(packet, out var header, out _));
        return header;
    }

    [Fact]
    public async Task Forward_AcrossAPause_KeepsSequenceContiguous_PreservesTheTimestampGap_AndRewritesSsrc()
    {
        _forwarder.Destination = _recorder.EndPoint;
        for (int i = 0; i < 3; i++) _forwarder.Forward(Source((ushort)(65534 + i), 1000u + (uint)(160 * i), (byte)i));
        _forwarder.Paused = true;
        for (int i = 3; i < 8; i++) _forwarder.Forward(Source((ushort)(65534 + i), 1000u + (uint)(160 * i), (byte)i));
        _forwarder.Paused = false;
        for (int i = 8; i < 10; i++) _forwarder.Forward(Source((ushort)(65534 + i), 1000u + (uint)(160 * i), (byte)i));

        var got = (await _recorder.WaitForAsync(5)).Select(r => r.Packet).ToList();
        var headers = got.Select(Header).ToList();
        Assert.Equal(5, got.Count);
        for (int i = 1; i < 5; i++) Assert.Equal((ushort)(headers[0].SequenceNumber + i), headers[i].SequenceNumber);
        Assert.Equal(160u, headers[1].Timestamp - headers[0].Timestamp);
        Assert.Equal(160u * 6, headers[3].Timestamp - headers[2].Timestamp);
        Assert.All(headers, h => Assert.Equal(_forwarder.Ssrc, h.Ssrc));
        Assert.All(headers, h => Assert.NotEqual(SourceSsrc, h.Ssrc));
        Assert.Equal(new byte[] { 0, 1, 2, 8, 9 }, got.Select(p => p[12]));
        Assert.All(got, p => Assert.True(p.AsSpan(12).IndexOfAnyExcept(p[12]) < 0));
        Assert.Equal(new[] { true, false, false, true, false }, headers.Select(h => h.Marker));
        Assert.Equal(5, _forwarder.PacketsForwarded);
        Assert.Equal(5, _forwarder.PacketsDroppedWhilePaused);
    }

    [Fact]
    public async Task Forward_KeepsTheSourceTimestampOffsetFixed_AndSourceLossVisible()
    {
        _forwarder.Destination = _recorder.EndPoint;
        _forwarder.Forward(Source(10, 5000, 1));
        _forwarder.Forward(Source(12, 5320, 2));

        var headers = (await _recorder.WaitForAsync(2)).Select(r => Header(r.Packet)).ToList();
        Assert.Equal((ushort)(headers[0].SequenceNumber + 2), headers[1].SequenceNumber);
        Assert.Equal(320u, headers[1].Timestamp - headers[0].Timestamp);
    }

    [Fact]
    public async Task Forward_WhenTheSourceRestartsWithANewSsrc_ContinuesTheSequence()
    {
        _forwarder.Destination = _recorder.EndPoint;
        _forwarder.Forward(Source(100, 5000, 1));
        _forwarder.Forward(Source(40000, 9, 2, ssrc: 77));

        var headers = (await _recorder.WaitForAsync(2)).Select(r => Header(r.Packet)).ToList();
        Assert.Equal((ushort)(headers[0].SequenceNumber + 1), headers[1].SequenceNumber);
        Assert.Equal(headers[0].Ssrc, headers[1].Ssrc);
    }

    [Fact]
    public async Task Forward_WithoutDestinationOrToPortZero_SendsNothing()
    {
        _forwarder.Forward(Source(1, 160, 1));
        _forwarder.Destination = new IPEndPoint(IPAddress.Loopback, 0);
        _forwarder.Forward(Source(2, 320, 1));

        Assert.Equal(0, _forwarder.Socket.PacketsSent);
        Assert.Equal(0, _forwarder.PacketsForwarded);
        await using var probe = RtpSocket.Bind(IPAddress.Loopback);
        Assert.Empty(await _recorder.DrainWithProbeAsync(probe));
    }

    [Fact]
    public void Forward_DropsAndCountsPacketsThatAreNotRtp()
    {
        _forwarder.Destination = _recorder.EndPoint;
        _forwarder.Forward(new byte[5]);
        _forwarder.Forward(new byte[20]);

        Assert.Equal(2, _forwarder.PacketsInvalid);
        Assert.Equal(0, _forwarder.Socket.PacketsSent);
    }

    [Fact]
    public async Task Forward_AfterDispose_IsIgnored()
    {
        _forwarder.Destination = _recorder.EndPoint;
        await _forwarder.DisposeAsync();
        _forwarder.Forward(Source(1, 160, 1));
        Assert.Equal(0, _forwarder.PacketsForwarded);
    }
}
