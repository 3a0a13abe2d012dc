using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Media.Wav;

/// <summary>
/// Records several RTP audio streams into one multi-channel 16-bit WAV file, one channel per stream,
/// aligned by RTP timestamp (RFC 3550 §5.1) so loss and pauses become silence of the right length.
/// Thread-safe: receive loops of several streams may call <see cref="Write"/> concurrently.
/// </summary>
/// <remarks>
/// A channel is anchored by the arrival time of its first packet (on the <see cref="TimeProvider"/>,
/// relative to construction); later packets go to anchor + (timestamp - first timestamp), wrap-safe.
/// Frames are written to disk once older than a 200 ms jitter window, so the file is playable while it grows.
/// A packet that arrives later than that (a stalled receive loop or host under load) is merged into the
/// file where that channel was written as silence, up to 5 s back; only older ones are dropped and counted.
/// A timestamp jump that disagrees with arrival time by more than
/// 5 s (a restarted source) re-anchors the channel by arrival time instead of writing hours of silence.
/// </remarks>
public sealed class MultiTrackWavRecorder : IDisposable
{
    private const int JitterWindowMilliseconds = 200;
    private const int DiscontinuitySeconds = 5;
    private const int MaxPendingSeconds = 60;
    // A packet more than DiscontinuitySeconds off its arrival time re-anchors its channel, so no placed packet is older.
    private const int RepairWindowSeconds = DiscontinuitySeconds;

    private readonly object _gate = new();
    private readonly WavWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _channels;
    private readonly int _sampleRate;
    private readonly long _startTimestamp;
    private readonly long _jitterFrames;
    private readonly long _discontinuityFrames;
    private readonly long _maxPendingFrames;
    private readonly long _repairFrames;
    // One bit per written frame and channel of the repair window (5 s): 10 KB for two channels, not 80 KB of bools.
    private readonly System.Collections.BitArray _writtenFilled;
    private readonly ChannelState[] _state;
    private short[] _pending;
    // One bit per pending sample: which positions a packet filled (the rest are silence), 1/16 of the audio it describes.
    private readonly System.Collections.BitArray _filled;
    private long _pendingFrames;
    private long _written;
    private long _latePackets;
    private long _duplicatePackets;
    private long _repairedPackets;
    private bool _disposed;
    private bool _failed;

    /// <summary>Creates (or truncates) the file and starts the recording clock.</summary>
    /// <param name="path">Target WAV path; readable by others while recording.</param>
    /// <param name="channels">Number of streams (channels), 1..64.</param>
    /// <param name="time">Clock for arrival-time anchoring and the jitter window.</param>
    /// <param name="sampleRate">RTP clock rate and WAV sample rate in Hz (8000 for G.711).</param>
    /// <exception cref="ArgumentOutOfRangeException">Channels or sample rate out of range.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public MultiTrackWavRecorder(string path, int channels, TimeProvider time, int sampleRate = 8000)
        : this(path, channels, time, sampleRate, null)
    {
    }

    /// <summary>Creates the recorder as the four-argument constructor does, logging re-anchoring to <paramref name="logger"/>.</summary>
    /// <param name="path">Target WAV path.</param>
    /// <param name="channels">Number of streams (channels), 1..64.</param>
    /// <param name="time">Clock for arrival-time anchoring and the jitter window.</param>
    /// <param name="sampleRate">RTP clock rate and WAV sample rate in Hz.</param>
    /// <param name="logger">Logger, or null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">Channels or sample rate out of range.</exception>
    /// <exception cref="IOException">The file cannot be created.</exception>
    public MultiTrackWavRecorder(string path, int channels, TimeProvider time, int sampleRate, ILogger<MultiTrackWavRecorder>? logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _channels = channels;
        _sampleRate = sampleRate;
        _jitterFrames = (long)sampleRate * JitterWindowMilliseconds / 1000;
        _discontinuityFrames = (long)sampleRate * DiscontinuitySeconds;
        _maxPendingFrames = (long)sampleRate * MaxPendingSeconds;
        _repairFrames = (long)sampleRate * RepairWindowSeconds;
        _writtenFilled = new System.Collections.BitArray((int)(_repairFrames * channels));
        _state = new ChannelState[channels];
        for (int i = 0; i < channels; i++) _state[i] = new ChannelState();
        _pending = new short[sampleRate * channels];
        _filled = new System.Collections.BitArray(_pending.Length);
        _writer = WavWriter.Create(path, sampleRate, channels);
        _startTimestamp = time.GetTimestamp();
    }

    /// <summary>Frames (one sample per channel) written to the file so far; after a failed write, the frames the header counts.</summary>
    public long FramesWritten
    {
        get { lock (_gate) return _writer.FramesWritten; }
    }

    /// <summary>Length of the written file in seconds.</summary>
    public double DurationSeconds => (double)FramesWritten / _sampleRate;

    /// <summary>Packets dropped (wholly or partly) because they arrived more than 5 s after their positions were written.</summary>
    public long LatePackets => Interlocked.Read(ref _latePackets);

    /// <summary>Packets that arrived after their positions were written and were merged into the file (no audio lost).</summary>
    public long RepairedPackets => Interlocked.Read(ref _repairedPackets);

    /// <summary>Packets ignored because every one of their positions was already filled.</summary>
    public long DuplicatePackets => Interlocked.Read(ref _duplicatePackets);

    /// <summary>
    /// Places one packet's decoded samples on <paramref name="channel"/>. Never throws for packet content;
    /// packets later than the jitter window are merged into the file (up to 5 s back), older and duplicate ones
    /// are counted and dropped. Ignored after <see cref="Dispose"/> or a failed write.
    /// </summary>
    /// <param name="channel">Zero-based channel index.</param>
    /// <param name="rtpTimestamp">The packet's RTP timestamp (samples at the sample rate).</param>
    /// <param name="samples">Decoded 16-bit PCM.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is out of range.</exception>
    /// <returns>
    /// The frame (sample index from the file start) the packet's first sample belongs at, so a caller can say where in the
    /// file a loss or late merge happened; -1 when the packet was ignored (empty, or the recorder is closed or failed).
    /// </returns>
    /// <exception cref="IOException">Writing the file failed (e.g. the disk is full); the recorder writes nothing more.</exception>
    public long Write(int channel, uint rtpTimestamp, ReadOnlySpan<short> samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, _channels);
        if (samples.IsEmpty) return -1;
        lock (_gate)
        {
            if (_disposed || _failed) return -1;
            long arrival = NowFrames();
            long position = Locate(channel, _state[channel], rtpTimestamp, arrival);
            try
            {
                Place(channel, position, samples);
                return position;
            }
            catch (IOException)
            {
                _failed = true; // a full disk stays full: nothing more is written, Dispose keeps what is on disk
                throw;
            }
        }
    }

    /// <summary>
    /// Where in the file (frames from its start) the recording stands now, as audio is placed (by RTP timestamp): never before
    /// the end of the audio already placed on any channel, and otherwise the earlier of the recording clock (time since
    /// construction) and the most recently heard channel's last packet position advanced by the arrival time since. A pause
    /// or resume noted here is where the file's audio stops or starts again: a sender whose timestamps fell behind its
    /// sending keeps that lag (every later packet is placed with it), and one that sent a burst ahead of time is not
    /// extrapolated past the clock. With no channel heard yet it is the recording clock.
    /// </summary>
    public long PositionNow()
    {
        lock (_gate)
        {
            long now = NowFrames();
            ChannelState? freshest = null;
            long placed = 0;
            foreach (var channel in _state)
            {
                if (!channel.Anchored) continue;
                placed = Math.Max(placed, channel.End);
                if (freshest is null || channel.LastArrival > freshest.LastArrival) freshest = channel;
            }
            if (freshest is null) return now;
            long extrapolated = freshest.LastPosition + (now - freshest.LastArrival);
            return Math.Max(placed, Math.Min(now, extrapolated));
        }
    }

    /// <summary>
    /// Writes every frame older than the jitter window (silence where nothing arrived) and updates the header.
    /// Does nothing after <see cref="Dispose"/>, so a periodic flush may race the end of a recording.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; the recorder writes nothing more.</exception>
    public void Flush()
    {
        lock (_gate)
        {
            if (_disposed || _failed) return;
            try
            {
                long final = NowFrames() - _jitterFrames;
                if (final > _written) WriteOut(final - _written);
                _writer.Flush();
            }
            catch (IOException)
            {
                _failed = true;
                throw;
            }
        }
    }

    /// <summary>
    /// Writes everything buffered (up to the later of the last sample and now), fixes the header and closes the file.
    /// After a failed write, only closes it with the header matching the frames already on disk.
    /// </summary>
    /// <exception cref="IOException">The last frames or the header cannot be written.</exception>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                long end = Math.Max(_written + _pendingFrames, NowFrames());
                if (!_failed && end > _written) WriteOut(end - _written);
            }
            finally
            {
                _writer.Dispose();
            }
        }
    }

    // Called for every packet: 128-bit integer arithmetic (exact, like the decimal it replaced, and truncating the same
    // way) instead of decimal, whose multiply and divide cost a few hundred nanoseconds.
    private long NowFrames() =>
        (long)((Int128)_time.GetElapsedTime(_startTimestamp).Ticks * _sampleRate / TimeSpan.TicksPerSecond);

    private long Locate(int channel, ChannelState ch, uint timestamp, long arrival)
    {
        if (!ch.Anchored)
        {
            ch.Anchored = true;
            Anchor(ch, Math.Max(arrival, _written), timestamp, arrival);
            return ch.Anchor;
        }

        int delta = (int)(timestamp - ch.LastTimestamp);
        long arrivalDelta = arrival - ch.LastArrival;
        bool newer = delta > 0;
        if ((newer || delta < -_jitterFrames) && Math.Abs(delta - arrivalDelta) > _discontinuityFrames)
        {
            long position = Math.Max(ch.LastPosition + arrivalDelta, Math.Max(ch.End, _written));
            Log.ChannelReanchored(_logger, channel, delta, arrivalDelta, position);
            Anchor(ch, position, timestamp, arrival);
            return position;
        }

        long extended = ch.LastExtended + delta;
        long located = ch.Anchor + extended;
        if (newer)
        {
            ch.LastTimestamp = timestamp;
            ch.LastExtended = extended;
            ch.LastArrival = arrival;
            ch.LastPosition = located;
        }
        return located;
    }

    private static void Anchor(ChannelState ch, long position, uint timestamp, long arrival)
    {
        ch.Anchor = position;
        ch.LastTimestamp = timestamp;
        ch.LastExtended = 0;
        ch.LastArrival = arrival;
        ch.LastPosition = position;
    }

    private void Place(int channel, long position, ReadOnlySpan<short> samples)
    {
        long end = position + samples.Length;
        if (position < _written)
        {
            Repair(channel, position, samples[..(int)(Math.Min(end, _written) - position)]);
            if (end <= _written) return;
        }
        if (end - _written > _maxPendingFrames)
        {
            long early = end - _written - _maxPendingFrames;
            Log.PendingOverflow(_logger, MaxPendingSeconds, early);
            WriteOut(early);
        }

        long start = Math.Max(position, _written);
        int skip = (int)(start - position);
        int offset = (int)(start - _written);
        int count = samples.Length - skip;
        EnsureCapacity(offset + count);

        bool anyNew = false;
        for (int i = 0; i < count && !anyNew; i++) anyNew = !_filled[(offset + i) * _channels + channel];
        if (!anyNew)
        {
            Interlocked.Increment(ref _duplicatePackets);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            int index = (offset + i) * _channels + channel;
            _pending[index] = samples[skip + i];
            _filled[index] = true;
        }
        _pendingFrames = Math.Max(_pendingFrames, offset + count);
        var state = _state[channel];
        state.End = Math.Max(state.End, end);
    }

    /// <summary>
    /// Merges the samples of a late packet into frames already on disk, where this channel was written as silence
    /// (frames another packet filled keep their samples), within the repair window; older samples are dropped.
    /// </summary>
    private void Repair(int channel, long position, ReadOnlySpan<short> samples)
    {
        long floor = Math.Max(0, _written - _repairFrames);
        if (position + samples.Length <= floor)
        {
            Interlocked.Increment(ref _latePackets);
            return;
        }
        long from = Math.Max(position, floor);
        int skip = (int)(from - position);
        int count = samples.Length - skip;
        bool anyNew = false;
        for (int i = 0; i < count && !anyNew; i++) anyNew = !_writtenFilled[WrittenIndex(from + i, channel)];
        if (!anyNew)
        {
            Interlocked.Increment(ref _duplicatePackets);
            return;
        }
        var block = new short[count * _channels];
        _writer.ReadWritten(from, block);
        for (int i = 0; i < count; i++)
        {
            int index = WrittenIndex(from + i, channel);
            if (_writtenFilled[index]) continue;
            block[(i * _channels) + channel] = samples[skip + i];
            _writtenFilled[index] = true;
        }
        _writer.Overwrite(from, block);
        Interlocked.Increment(ref skip > 0 ? ref _latePackets : ref _repairedPackets);
    }

    /// <summary>Where the filled flag of a written frame's channel lives in the ring covering the repair window.</summary>
    private int WrittenIndex(long frame, int channel) => (int)((frame % _repairFrames) * _channels) + channel;

    private void EnsureCapacity(long frames)
    {
        long needed = frames * _channels;
        if (needed <= _pending.Length) return;
        long size = _pending.Length;
        while (size < needed) size *= 2;
        Array.Resize(ref _pending, (int)size);
        _filled.Length = (int)size; // new bits are false
    }

    private void WriteOut(long frames)
    {
        long fromPending = Math.Min(frames, _pendingFrames);
        // Only the last repair window of what is written now can still be repaired; earlier flags would be overwritten.
        for (long f = Math.Max(0, frames - _repairFrames); f < frames; f++)
        {
            for (int c = 0; c < _channels; c++)
            {
                _writtenFilled[WrittenIndex(_written + f, c)] = f < fromPending && _filled[(int)((f * _channels) + c)];
            }
        }
        if (fromPending > 0)
        {
            int samples = (int)(fromPending * _channels);
            _writer.WriteFrames(_pending.AsSpan(0, samples));
            int remaining = (int)((_pendingFrames - fromPending) * _channels);
            Array.Copy(_pending, samples, _pending, 0, remaining);
            _filled.RightShift(samples); // bit i takes bit i + samples; the top bits become false
            Array.Clear(_pending, remaining, samples);
            _pendingFrames -= fromPending;
        }

        long silence = frames - fromPending;
        if (silence > 0)
        {
            var zeros = new short[(int)Math.Min(silence, _sampleRate) * _channels];
            while (silence > 0)
            {
                int n = (int)Math.Min(silence, zeros.Length / _channels);
                _writer.WriteFrames(zeros.AsSpan(0, n * _channels));
                silence -= n;
            }
        }
        _written += frames;
    }

    private sealed class ChannelState
    {
        public bool Anchored;
        public long Anchor;
        public uint LastTimestamp;
        public long LastExtended;
        public long LastArrival;
        public long LastPosition;
        public long End;
    }
}
