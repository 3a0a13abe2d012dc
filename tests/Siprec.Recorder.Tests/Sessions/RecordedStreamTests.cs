using System.Net;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Recorder.Offers;
using Siprec.Recorder.Sessions;

namespace Siprec.Recorder.Tests.Sessions;

public sealed class RecordedStreamTests : IAsyncLifetime
{
    private RtpSocket _socket = null!;
    private RecordedStream _stream = null!;
    private readonly List<(int Channel, uint Timestamp, short[] Samples)> _written = [];

    public Task InitializeAsync()
    {
        _socket = RtpSocket.Bind(IPAddress.Loopback);
        _stream = new RecordedStream(new StreamPlan(0, "1", [0, 8], null), 3, _socket);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _socket.DisposeAsync();

    private void Receive(byte payloadType, ushort sequence, uint timestamp, uint ssrc = 0xABCD, bool paused = false, byte[]? payload = null,
        bool mergedLate = false)
    {
        payload ??= Enumerable.Range(0, 160).Select(i => (byte)(i + 1)).ToArray();
        var packet = new byte[RtpHeader.Size + payload.Length];
        new RtpHeader(payloadType, false, sequence, timestamp, ssrc).Write(packet);
        payload.CopyTo(packet, RtpHeader.Size);
        // The test's WAV places each packet at its RTP timestamp, so the frame a mark names is the timestamp.
        _stream.Receive(packet, paused, (int channel, uint ts, ReadOnlySpan<short> samples, out bool merged) =>
        {
            _written.Add((channel, ts, samples.ToArray()));
            merged = mergedLate;
            return ts;
        });
    }

    [Fact]
    public void Receive_DecodesPcmaAndPcmuIntoTheStreamsChannel()
    {
        var payload = new byte[] { 0xD5, 0x55, 0x2A, 0xAA };

        Receive(G711.PcmaPayloadType, 1, 0, payload: payload);
        Receive(G711.PcmuPayloadType, 2, 4, payload: payload);

        Assert.Equal(2, _written.Count);
        Assert.Equal(payload.Select(G711.ALawToLinear), _written[0].Samples);
        Assert.Equal(payload.Select(G711.MuLawToLinear), _written[1].Samples);
        Assert.All(_written, w => Assert.Equal(3, w.Channel));
        Assert.Equal([0u, 4u], _written.Select(w => w.Timestamp));
    }

    [Fact]
    public void TheGapBeforeTheFirstPacketAfterAResume_IsThePause_NotLoss_AndLaterGapsStillAre()
    {
        // A sender that stops while paused and keeps numbering (rtpengine holding the subscription): 200 numbers skipped.
        for (ushort sequence = 1; sequence <= 10; sequence++) Receive(0, sequence, sequence * 160u);
        _stream.OnResumed();
        Receive(0, 211, 211 * 160);
        Receive(0, 212, 212 * 160);
        Receive(0, 215, 215 * 160); // two genuinely lost after the resume

        Assert.Equal(200, _stream.SkippedWhilePaused);
        Assert.Equal(2, _stream.Lost);
        Assert.Single(_stream.LossMarks); // the pause is not marked as a loss in the WAV either
    }

    [Fact]
    public void WithoutAResume_ASequenceGapIsLoss()
    {
        for (ushort sequence = 1; sequence <= 10; sequence++) Receive(0, sequence, sequence * 160u);
        Receive(0, 211, 211 * 160);

        Assert.Equal(0, _stream.SkippedWhilePaused);
        Assert.Equal(200, _stream.Lost);
    }

    [Fact]
    public void Receive_CountsLossesAcrossSequenceWrapAround()
    {
        Receive(0, 65534, 0);
        Receive(0, 65535, 160);
        Receive(0, 1, 480);
        Receive(0, 2, 640);

        Assert.Equal(4, _stream.Packets);
        Assert.Equal(1, _stream.Lost);
    }

    [Fact]
    public void Receive_DoesNotCountReorderedPacketsAsLost()
    {
        Receive(0, 10, 0);
        Receive(0, 12, 320);
        Receive(0, 11, 160);

        Assert.Equal(0, _stream.Lost);
    }

    [Fact]
    public void Receive_KeepsLossesOfAnEarlierSsrcWhenTheSourceChanges()
    {
        Receive(0, 10, 0, ssrc: 1);
        Receive(0, 13, 480, ssrc: 1);
        Receive(0, 900, 0, ssrc: 2);
        Receive(0, 901, 160, ssrc: 2);

        Assert.Equal(2, _stream.Lost);
        Assert.Equal([1u, 2u], _stream.Ssrcs);
    }

    [Fact]
    public void Receive_CountsButDoesNotWritePacketsWhilePaused()
    {
        Receive(0, 1, 0, paused: true);

        Assert.Equal(1, _stream.Packets);
        Assert.Equal(1, _stream.PacketsWhilePaused);
        Assert.Empty(_written);
    }

    [Fact]
    public void ASequenceGap_IsMarkedWhereItsSilenceStarts_AndALateMerge_WhereThePacketLanded()
    {
        Receive(G711.PcmuPayloadType, 1, 0);
        Receive(G711.PcmuPayloadType, 2, 160);
        Receive(G711.PcmuPayloadType, 5, 640);
        Receive(G711.PcmuPayloadType, 4, 480, mergedLate: true);

        // Packets 3 and 4 were missing when 5 came: their 2 × 160 samples of silence start at frame 320.
        Assert.Equal([(320L, 2L)], _stream.LossMarks);
        Assert.Equal([480L], _stream.LateMerges);
        Assert.False(_stream.MarksTruncated);
    }

    [Fact]
    public void Receive_IgnoresComfortNoiseAndGarbage()
    {
        Receive(19, 1, 0, payload: [0x40]);
        _stream.Receive(new byte[] { 0x00, 0x01, 0x02 }, false, (int _, uint _, ReadOnlySpan<short> _, out bool _) => throw new InvalidOperationException("must not write"));

        Assert.Empty(_written);
        Assert.Equal(1, _stream.Packets);
        Assert.Equal(1, _stream.UndecodedPackets);
        Assert.Equal(1, _stream.InvalidPackets);
    }
}
