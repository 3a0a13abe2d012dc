using System.Net;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Rtp;

public sealed class RtpStreamSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);
    private readonly ManualTimeProvider _time = new();
    private readonly List<byte[]> _sent = new();
    private RtpSocket _socket = null!;
    private PacketCollector _receiver = null!;

    public Task InitializeAsync()
    {
        _socket = RtpSocket.Bind(IPAddress.Loopback);
        _receiver = new PacketCollector();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _socket.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private RtpStreamSender CreateSender(byte payloadType = G711.PcmuPayloadType)
    {
        var sender = new RtpStreamSender(_socket, _receiver.EndPoint, new RtpStreamSenderOptions { PayloadType = payloadType, Ssrc = 0x5151 }, _time);
        sender.PacketSent += packet => _sent.Add(packet.ToArray());
        return sender;
    }

    /// <summary>Fires the frame due at start, then <paramref name="frames"/> - 1 more.</summary>
    private void RunFrames(int frames)
    {
        _time.Advance(TimeSpan.Zero);
        Tick(frames - 1);
    }

    private void Tick(int frames)
    {
        for (int i = 0; i < frames; i++) _time.Advance(Frame);
    }

    private static short[] Tone(int samples) =>
        Enumerable.Range(0, samples).Select(i => (short)(8000 * Math.Sin(i * 2 * Math.PI * 440 / 8000))).ToArray();

    [Fact]
    public async Task Start_SendsOnePacketPerTwentyMilliseconds_OnTheManualClock()
    {
        await using var sender = CreateSender();
        sender.Start();
        Assert.Empty(_sent);

        RunFrames(10);

        Assert.Equal(10, _sent.Count);
        Assert.Equal(10, sender.PacketsSent);
        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(10, _sent.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(11, _sent.Count);
    }

    [Fact]
    public async Task QueuedAudio_IsSentFirst_ThenSilence_WithContiguousSequenceAndTimestampStepOf160()
    {
        await using var sender = CreateSender();
        var pcm = Tone(480);
        var play = sender.PlayAsync(pcm);
        sender.Start();

        RunFrames(3);
        Assert.Equal(3, _sent.Count);
        Assert.True(play.IsCompletedSuccessfully);
        Tick(3);

        var expected = new byte[480];
        G711.EncodeMuLaw(pcm, expected);
        var headers = _sent.Select(p => { Assert.True(RtpHeader.TryRead(p, out var h, out _)); return h; }).ToList();
        for (int i = 0; i < _sent.Count; i++)
        {
            Assert.Equal(172, _sent[i].Length);
            Assert.Equal((ushort)(headers[0].SequenceNumber + i), headers[i].SequenceNumber);
            Assert.Equal(headers[0].Timestamp + (uint)(160 * i), headers[i].Timestamp);
            Assert.Equal(0x5151u, headers[i].Ssrc);
            Assert.Equal(G711.PcmuPayloadType, headers[i].PayloadType);
            var payload = _sent[i].AsSpan(12);
            if (i < 3) Assert.True(payload.SequenceEqual(expected.AsSpan(i * 160, 160)), $"frame {i} is not the input audio");
            else Assert.All(payload.ToArray(), b => Assert.Equal(G711.MuLawSilence, b));
        }
        Assert.True(headers[0].Marker);
        Assert.All(headers.Skip(1), h => Assert.False(h.Marker));

        var received = await _receiver.WaitForAsync(6);
        Assert.Equal(_sent, received.Select(r => r.Packet));
    }

    [Fact]
    public async Task PlayAsync_AfterSilence_MarksTheFirstPacketOfTheTalkSpurt_AndPadsTheLastFrame()
    {
        await using var sender = CreateSender(G711.PcmaPayloadType);
        sender.Start();
        RunFrames(2);
        var play = sender.PlayAsync(Tone(200));
        _time.Advance(Frame);
        Assert.False(play.IsCompleted);
        _time.Advance(Frame);
        Assert.True(play.IsCompletedSuccessfully);
        _time.Advance(Frame);

        var markers = _sent.Select(p => (p[1] & 0x80) != 0).ToArray();
        Assert.Equal(new[] { true, false, true, false, false }, markers);
        Assert.All(_sent, p => Assert.Equal(G711.PcmaPayloadType, p[1] & 0x7F));
        Assert.All(_sent[1].AsSpan(12).ToArray(), b => Assert.Equal(G711.ALawSilence, b));
        Assert.All(_sent[3].AsSpan(12 + 40).ToArray(), b => Assert.Equal(G711.ALawSilence, b));
        Assert.Contains(_sent[3].AsSpan(12, 40).ToArray(), b => b != G711.ALawSilence);
    }

    [Fact]
    public async Task PlayAsync_Cancelled_DropsTheRestAndSendsSilence()
    {
        await using var sender = CreateSender();
        using var cts = new CancellationTokenSource();
        var play = sender.PlayAsync(Tone(1600), cts.Token);
        sender.Start();
        RunFrames(2);

        cts.Cancel();
        Tick(2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
        Assert.Contains(_sent[1].AsSpan(12).ToArray(), b => b != G711.MuLawSilence);
        Assert.All(_sent[2].AsSpan(12).ToArray(), b => Assert.Equal(G711.MuLawSilence, b));
        Assert.All(_sent[3].AsSpan(12).ToArray(), b => Assert.Equal(G711.MuLawSilence, b));
    }

    [Fact]
    public async Task DisposeAsync_StopsTheStream_AndCancelsQueuedAudio()
    {
        var sender = CreateSender();
        var play = sender.PlayAsync(Tone(1600));
        sender.Start();
        RunFrames(1);
        await sender.DisposeAsync();
        Tick(5);

        Assert.Single(_sent);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => play);
    }

    [Fact]
    public void Constructor_RejectsNonG711PayloadTypes() =>
        Assert.Throws<ArgumentException>(() =>
            new RtpStreamSender(_socket, _receiver.EndPoint, new RtpStreamSenderOptions { PayloadType = 18 }, _time));

    [Fact]
    public async Task OnTheSystemClock_AShortPromptArrivesOverLoopback_InOrderAndIntact()
    {
        await using var sender = new RtpStreamSender(_socket, _receiver.EndPoint, new RtpStreamSenderOptions(), TimeProvider.System);
        var pcm = Tone(1600);
        var expected = new byte[pcm.Length];
        G711.EncodeMuLaw(pcm, expected);
        sender.Start();

        await sender.PlayAsync(pcm).WaitAsync(TimeSpan.FromSeconds(10));
        await sender.DisposeAsync();
        var received = await _receiver.DrainWithProbeAsync(_socket);

        var audio = received
            .Select(r => r.Packet)
            .SkipWhile(p => p.AsSpan(12).IndexOfAnyExcept(G711.MuLawSilence) < 0)
            .Take(10)
            .ToList();
        Assert.Equal(10, audio.Count);
        Assert.True(audio.SelectMany(p => p.Skip(12)).SequenceEqual(expected));
        for (int i = 1; i < audio.Count; i++)
        {
            RtpHeader.TryRead(audio[i - 1], out var previous, out _);
            RtpHeader.TryRead(audio[i], out var current, out _);
            Assert.Equal((ushort)(previous.SequenceNumber + 1), current.SequenceNumber);
            Assert.Equal(previous.Timestamp + 160, current.Timestamp);
        }
    }

    [Fact]
    public async Task ASubscriberThatThrows_DoesNotStopTheStream()
    {
        await using var sender = CreateSender();
        sender.PacketSent += _ => throw new InvalidOperationException("tap bug");
        sender.Start();

        RunFrames(4);

        Assert.Equal(4, _sent.Count);
        Assert.Equal(4, (await _receiver.WaitForAsync(4)).Count);
    }
}
