using System.Buffers;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Recorder.Observability;
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

    /// <summary>The most loss and late-merge positions kept per stream, so a badly lossy call cannot grow the sidecar without bound.</summary>
    internal const int MaxMarks = 1000;

    private readonly List<(long Frame, long Packets)> _lossMarks = [];
    private readonly List<long> _lateMerges = [];

    private bool _sequenceStarted;
    private uint _ssrc;
    private ushort _baseSequence;
    private ushort _maxSequence;
    private long _cycles;
    private long _receivedThisSource;
    private long _lostEarlierSources;
    private long _skippedThisSource;
    private bool _resumed;
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

    /// <summary>Where the stream's sequence gaps left silence: the WAV frame the gap starts at and the packets missing (at most <see cref="MaxMarks"/>).</summary>
    public IReadOnlyList<(long Frame, long Packets)> LossMarks => _lossMarks;

    /// <summary>WAV frames of packets merged into the file after their frames were written (at most <see cref="MaxMarks"/>).</summary>
    public IReadOnlyList<long> LateMerges => _lateMerges;

    /// <summary>True when more gaps or late merges happened than <see cref="MaxMarks"/> lets the lists hold.</summary>
    public bool MarksTruncated { get; private set; }

    /// <summary>The server's instruments; null when the stream is not measured.</summary>
    public RecorderMetrics? Metrics { get; set; }

    /// <summary>
    /// Packets missing from the sequence ranges seen (never negative; duplicates can hide losses, as in RFC 3550), less those
    /// <see cref="SkippedWhilePaused"/>.
    /// </summary>
    public long Lost
    {
        get
        {
            if (!_sequenceStarted) return _lostEarlierSources;
            var expected = _cycles + _maxSequence - _baseSequence + 1;
            return _lostEarlierSources + Math.Max(0, expected - _receivedThisSource - _skippedThisSource);
        }
    }

    /// <summary>
    /// Sequence numbers a sender skipped over a pause: the gap before the first packet after a resume. A sender that stops
    /// sending while paused (rtpengine holding the subscription) keeps numbering its packets, so that gap is the pause, not
    /// loss; a forwarder that renumbers across the pause (the embedded one) leaves none.
    /// </summary>
    public long SkippedWhilePaused { get; private set; }

    /// <summary>The recording resumed (RFC 7866 §8.1.3): the next packet's sequence gap, if any, is the pause's.</summary>
    public void OnResumed() => _resumed = true;

    /// <summary>Counts the packet and hands its decoded G.711 audio to <paramref name="write"/> (nothing for invalid, non-G.711 or paused packets).</summary>
    public void Receive(ReadOnlySpan<byte> packet, bool paused, WriteAudio write)
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

    private void ReceiveRtp(ReadOnlySpan<byte> packet, bool paused, WriteAudio write)
    {
        if (!RtpHeader.TryRead(packet, out var header, out var payloadOffset))
        {
            InvalidPackets++;
            return;
        }
        Packets++;
        var gap = TrackSequence(header);
        if (_resumed && !paused)
        {
            _resumed = false;
            _skippedThisSource += gap;
            SkippedWhilePaused += gap;
            gap = 0;
        }
        if (gap > 0) Metrics?.PacketsLost(gap);
        Metrics?.PacketReceived(paused);
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
            var frame = write(Channel, header.Timestamp, samples, out var mergedLate);
            if (frame < 0) return;
            // The gap's silence ends where this packet starts; its length is the missing packets at this packet's size.
            if (gap > 0) Mark(_lossMarks, (Math.Max(0, frame - (gap * samples.Length)), gap));
            if (mergedLate) Mark(_lateMerges, frame);
        }
        finally
        {
            ArrayPool<short>.Shared.Return(buffer);
        }
    }

    private void Mark<T>(List<T> marks, T mark)
    {
        if (marks.Count < MaxMarks) marks.Add(mark);
        else MarksTruncated = true;
    }

    /// <summary>Follows the sequence numbers (RFC 3550 A.1); returns the packets missing just before this one (0 when none, or it is old).</summary>
    private long TrackSequence(RtpHeader header)
    {
        if (_sequenceStarted && header.Ssrc != _ssrc)
        {
            _lostEarlierSources = Lost;
            _skippedThisSource = 0;
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
            return 0;
        }
        _receivedThisSource++;
        var delta = (ushort)(header.SequenceNumber - _maxSequence);
        if (delta is 0 or >= 0x8000) return 0;
        if (header.SequenceNumber < _maxSequence) _cycles += 65536;
        _maxSequence = header.SequenceNumber;
        return delta - 1;
    }
}
