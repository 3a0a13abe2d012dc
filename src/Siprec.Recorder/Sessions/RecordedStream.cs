using System.Buffers;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Recorder.Offers;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// One recorded m-line: its RTP socket, WAV channel and RFC 3550 §6.4.1 style counters (received packets,
/// sequence-gap losses, SSRC). For an RTP/SAVP line each packet is authenticated and decrypted with the SRC's
/// SDES key first (RFC 3711 §3.3); packets that fail are counted and dropped. Not thread-safe; the owning
/// <see cref="RecorderSession"/> serializes calls.
/// </summary>
internal sealed class RecordedStream : IDisposable
{
    private readonly SrtpContext? _srtp;
    private const int MaxSamplesPerPacket = 4096;

    private bool _sequenceStarted;
    private uint _ssrc;
    private ushort _baseSequence;
    private ushort _maxSequence;
    private long _cycles;
    private long _receivedThisSource;
    private long _lostEarlierSources;
    private readonly List<uint> _ssrcs = [];

    public RecordedStream(StreamPlan plan, int channel, RtpSocket socket, StreamRtcp? rtcp = null)
    {
        Plan = plan;
        Channel = channel;
        Socket = socket;
        Rtcp = rtcp;
        if (plan.OfferedCrypto is { } crypto) _srtp = new SrtpContext(crypto.MasterKey, crypto.Suite);
    }

    public StreamPlan Plan { get; }
    public string Label => Plan.Label;
    public int Channel { get; }
    public RtpSocket Socket { get; }

    /// <summary>The stream's RTCP on the RTP port + 1 (RFC 3550 §11); null when none was bound.</summary>
    public StreamRtcp? Rtcp { get; }
    public long Packets { get; private set; }
    public long PacketsWhilePaused { get; private set; }
    public long InvalidPackets { get; private set; }
    public long UndecodedPackets { get; private set; }

    /// <summary>SRTP packets dropped for a wrong auth tag or as replays (RFC 3711 §3.3.2); 0 for plain RTP.</summary>
    public long RejectedSrtpPackets { get; private set; }
    public IReadOnlyList<uint> Ssrcs => _ssrcs;

    /// <summary>Packets missing from the sequence ranges seen (never negative; duplicates can hide losses, as in RFC 3550).</summary>
    public long Lost
    {
        get
        {
            if (!_sequenceStarted) return _lostEarlierSources;
            var expected = _cycles + _maxSequence - _baseSequence + 1;
            return _lostEarlierSources + Math.Max(0, expected - _receivedThisSource);
        }
    }

    /// <summary>Counts the packet and hands its decoded G.711 audio to <paramref name="write"/> (nothing for invalid, non-G.711 or paused packets).</summary>
    public void Receive(ReadOnlySpan<byte> packet, bool paused, Action<int, uint, ReadOnlySpan<short>> write)
    {
        if (_srtp is null)
        {
            ReceiveRtp(packet, paused, write);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(packet.Length);
        try
        {
            if (_srtp.TryUnprotect(packet, buffer, out var length)) ReceiveRtp(buffer.AsSpan(0, length), paused, write);
            else RejectedSrtpPackets++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Releases the SRTP context, if any.</summary>
    public void Dispose() => _srtp?.Dispose();

    private void ReceiveRtp(ReadOnlySpan<byte> packet, bool paused, Action<int, uint, ReadOnlySpan<short>> write)
    {
        if (!RtpHeader.TryRead(packet, out var header, out var payloadOffset))
        {
            InvalidPackets++;
            return;
        }
        Packets++;
        TrackSequence(header);
        Rtcp?.OnRtp(header);
        if (paused)
        {
            PacketsWhilePaused++;
            return;
        }

        var payload = packet[payloadOffset..];
        if (payload.Length == 0 || payload.Length > MaxSamplesPerPacket || header.PayloadType is not (G711.PcmuPayloadType or G711.PcmaPayloadType))
        {
            UndecodedPackets++;
            return;
        }
        var buffer = ArrayPool<short>.Shared.Rent(payload.Length);
        try
        {
            var samples = buffer.AsSpan(0, payload.Length);
            if (header.PayloadType == G711.PcmuPayloadType) G711.DecodeMuLaw(payload, samples);
            else G711.DecodeALaw(payload, samples);
            write(Channel, header.Timestamp, samples);
        }
        finally
        {
            ArrayPool<short>.Shared.Return(buffer);
        }
    }

    private void TrackSequence(RtpHeader header)
    {
        if (_sequenceStarted && header.Ssrc != _ssrc)
        {
            _lostEarlierSources = Lost;
            _sequenceStarted = false;
        }
        if (!_sequenceStarted)
        {
            _sequenceStarted = true;
            _ssrc = header.Ssrc;
            if (!_ssrcs.Contains(header.Ssrc)) _ssrcs.Add(header.Ssrc);
            _baseSequence = header.SequenceNumber;
            _maxSequence = header.SequenceNumber;
            _cycles = 0;
            _receivedThisSource = 1;
            return;
        }
        _receivedThisSource++;
        var delta = (ushort)(header.SequenceNumber - _maxSequence);
        if (delta is 0 or >= 0x8000) return;
        if (header.SequenceNumber < _maxSequence) _cycles += 65536;
        _maxSequence = header.SequenceNumber;
    }
}
