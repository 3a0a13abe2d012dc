using Siprec.Media.Rtp;

namespace Siprec.Media.Rtcp;

/// <summary>
/// What a receiver knows about one RTP source, for its reception report blocks (RFC 3550 §6.4.1): the sequence
/// bookkeeping of Appendix A.1 (wraps, large jumps, a source restart after two sequential packets), expected and
/// cumulative loss (A.3), fraction lost since the previous report, interarrival jitter (A.8, integer form), and
/// LSR/DLSR from the source's sender reports. There is no probation (A.1's MIN_SEQUENTIAL): the first packet
/// counts. Not thread-safe; the owner serializes calls.
/// </summary>
public sealed class RtpReceptionStatistics
{
    /// <summary>A forward jump of fewer packets than this counts as loss (A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;

    /// <summary>A backward step of at most this many packets counts as reordering (A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;

    private const int SequenceModulo = 1 << 16;

    private readonly TimeProvider _time;
    private readonly long _epoch;
    private bool _started;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private uint _badSequence = SequenceModulo + 1;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private int _transit;
    private uint _jitterScaled;
    private uint _lastSenderReport;
    private long _lastSenderReportAt;

    /// <summary>Creates empty statistics for a stream with clock rate <paramref name="clockRate"/>.</summary>
    /// <param name="clockRate">RTP timestamp units per second (8000 for G.711).</param>
    /// <param name="time">Clock for arrival times and DLSR.</param>
    public RtpReceptionStatistics(int clockRate, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentNullException.ThrowIfNull(time);
        ClockRate = clockRate;
        _time = time;
        _epoch = time.GetTimestamp();
    }

    /// <summary>RTP timestamp units per second.</summary>
    public int ClockRate { get; }

    /// <summary>SSRC of the source, from the latest packet; 0 before the first.</summary>
    public uint SourceSsrc { get; private set; }

    /// <summary>True once a packet was counted.</summary>
    public bool HasPackets => _started;

    /// <summary>Packets counted (A.1 <c>received</c>; duplicates count too).</summary>
    public long Received => _received;

    /// <summary>Highest sequence number received, extended with the wrap count in the high 16 bits.</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSequence;

    /// <summary>Packets expected: extended highest minus the first sequence number plus one (A.3); 0 before the first packet.</summary>
    public long Expected => _started ? (long)ExtendedHighestSequence - _baseSequence + 1 : 0;

    /// <summary>Cumulative packets lost, expected − received, clamped to the report block's 24-bit signed range (A.3).</summary>
    public int CumulativeLost => (int)Math.Clamp(Expected - _received, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);

    /// <summary>Interarrival jitter estimate in RTP timestamp units (A.8).</summary>
    public uint Jitter => _jitterScaled >> 4;

    /// <summary><see cref="Jitter"/> in milliseconds.</summary>
    public double JitterMilliseconds => Jitter * 1000.0 / ClockRate;

    /// <summary>Counts one received packet, its arrival time taken from the clock.</summary>
    /// <param name="header">The packet's RTP header.</param>
    /// <returns>False when the packet was not counted (a large jump, awaiting a second sequential packet).</returns>
    public bool Receive(RtpHeader header)
    {
        long units = (long)((Int128)_time.GetElapsedTime(_epoch).Ticks * ClockRate / TimeSpan.TicksPerSecond);
        return Receive(header.Ssrc, header.SequenceNumber, header.Timestamp, (uint)units);
    }

    /// <summary>Counts one received packet with an explicit arrival time (A.1 <c>update_seq</c>, A.8 jitter).</summary>
    /// <param name="ssrc">The packet's SSRC.</param>
    /// <param name="sequence">The packet's sequence number.</param>
    /// <param name="rtpTimestamp">The packet's RTP timestamp.</param>
    /// <param name="arrival">Arrival time in RTP timestamp units, on any fixed origin.</param>
    /// <returns>False when the packet was not counted (a large jump, awaiting a second sequential packet).</returns>
    public bool Receive(uint ssrc, ushort sequence, uint rtpTimestamp, uint arrival)
    {
        SourceSsrc = ssrc;
        int transit = (int)(arrival - rtpTimestamp);
        if (!_started)
        {
            Initialize(sequence);
            _started = true;
            _received = 1;
            _transit = transit;
            return true;
        }

        ushort delta = (ushort)(sequence - _maxSequence);
        if (delta < MaxDropout)
        {
            if (sequence < _maxSequence) _cycles += SequenceModulo;
            _maxSequence = sequence;
        }
        else if (delta <= SequenceModulo - MaxMisorder)
        {
            if (sequence == _badSequence)
            {
                // Two sequential packets after a large jump: the source restarted (A.1).
                Initialize(sequence);
                _received = 1;
                _transit = transit;
                return true;
            }
            _badSequence = (uint)((sequence + 1) & (SequenceModulo - 1));
            return false;
        }
        // else: a duplicate or reordered packet, counted below.
        _received++;

        int d = transit - _transit;
        _transit = transit;
        if (d < 0) d = -d;
        _jitterScaled = (uint)(_jitterScaled + d - ((_jitterScaled + 8) >> 4));
        return true;
    }

    /// <summary>Notes a sender report from the source: its NTP time becomes the next blocks' LSR, its arrival the DLSR origin.</summary>
    /// <param name="ntpTimestamp">The SR's NTP timestamp.</param>
    public void ReceiveSenderReport(NtpTimestamp ntpTimestamp)
    {
        _lastSenderReport = ntpTimestamp.Middle32;
        _lastSenderReportAt = _time.GetTimestamp();
    }

    /// <summary>
    /// Builds the report block for the source and starts a new reporting interval (A.3): the fraction lost covers
    /// the packets since the previous call. Null before the first packet.
    /// </summary>
    public RtcpReportBlock? CreateReportBlock()
    {
        if (!_started) return null;
        long expected = Expected;
        long expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        long receivedInterval = _received - _receivedPrior;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        uint delay = _lastSenderReport == 0 ? 0 : NtpTimestamp.ToShortFormat(_time.GetElapsedTime(_lastSenderReportAt));
        return new RtcpReportBlock(SourceSsrc, fraction, CumulativeLost, ExtendedHighestSequence, Jitter, _lastSenderReport, delay);
    }

    private void Initialize(ushort sequence)
    {
        _baseSequence = sequence;
        _maxSequence = sequence;
        _badSequence = SequenceModulo + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }
}
