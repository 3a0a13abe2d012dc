using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Codecs;
using Siprec.Media.Pacing;

namespace Siprec.Media.Rtp;

/// <summary>
/// One continuous G.711 RTP stream (RFC 3550 §5.1, RFC 3551 §4.1): a packet every
/// <see cref="RtpStreamSenderOptions.PacketInterval"/> on an absolute schedule from <see cref="Start"/>
/// (no drift), carrying queued <see cref="PlayAsync"/> audio first and silence when idle.
/// Sequence number +1 and timestamp +SamplesPerPacket per packet; marker bit on the first packet of the
/// stream and of every talk spurt. Does not own the socket. Paced by the <see cref="MediaClock"/> of its
/// <see cref="TimeProvider"/> (one clock for all streams, not a timer per stream).
/// </summary>
public sealed class RtpStreamSender : IAsyncDisposable, IPacedStream
{
    /// <summary>Frames sent back-to-back at most after a stall before the schedule skips ahead.</summary>
    private const long MaxBurstFrames = 5;

    private readonly object _gate = new();
    private readonly RtpSocket _socket;
    private readonly IPEndPoint _remote;
    private readonly RtpStreamSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Queue<PlayItem> _queue = new();
    /// <summary>The frames of one clock tick, back to back (at most <see cref="MaxBurstFrames"/>), sent with one batched send.</summary>
    private readonly byte[] _batch;
    private readonly int _packetSize;
    private readonly short[] _frame;
    private readonly long _intervalTicks;
    private readonly byte _silence;
    private MediaClock? _clock;
    private long _startTimestamp;
    private long _nextFrame;
    private ushort _sequence;
    private uint _timestamp;
    private bool _talking;
    private bool _firstPacket = true;
    private bool _disposed;
    private long _packetsSent;

    /// <summary>Creates a sender; nothing is sent until <see cref="Start"/>.</summary>
    /// <param name="socket">Socket to send from (not disposed by this sender).</param>
    /// <param name="remote">Destination address and port.</param>
    /// <param name="options">Stream settings; validated here.</param>
    /// <param name="time">Clock driving the packet schedule.</param>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="RtpStreamSenderOptions.Validate"/>).</exception>
    public RtpStreamSender(RtpSocket socket, IPEndPoint remote, RtpStreamSenderOptions options, TimeProvider time)
        : this(socket, remote, options, time, null)
    {
    }

    /// <summary>Creates a sender that logs schedule slips and subscriber failures to <paramref name="logger"/>.</summary>
    /// <param name="socket">Socket to send from (not disposed by this sender).</param>
    /// <param name="remote">Destination address and port.</param>
    /// <param name="options">Stream settings; validated here.</param>
    /// <param name="time">Clock driving the packet schedule.</param>
    /// <param name="logger">Logger, or null for none.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public RtpStreamSender(RtpSocket socket, IPEndPoint remote, RtpStreamSenderOptions options, TimeProvider time, ILogger<RtpStreamSender>? logger)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _socket = socket;
        _remote = remote;
        _options = options;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _intervalTicks = options.PacketInterval.Ticks;
        _packetSize = RtpHeader.Size + options.SamplesPerPacket;
        _batch = new byte[MaxBurstFrames * _packetSize];
        _frame = new short[options.SamplesPerPacket];
        _silence = options.PayloadType == G711.PcmaPayloadType ? G711.ALawSilence : G711.MuLawSilence;
        // RFC 3550 §5.1: initial sequence number and timestamp are random.
        _sequence = (ushort)Random.Shared.Next(0, 1 << 16);
        _timestamp = (uint)Random.Shared.NextInt64(0, 1L << 32);
    }

    /// <summary>Raised synchronously after every packet is handed to the socket, with its exact bytes.</summary>
    public event RtpPacketSentHandler? PacketSent;

    /// <summary>Packets sent so far, audio and silence.</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>The stream's SSRC.</summary>
    public uint Ssrc => _options.Ssrc;

    /// <summary>Starts the schedule: the first packet is due now, then one per packet interval.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_clock is not null) throw new InvalidOperationException("the RTP stream is already started");
            _startTimestamp = _time.GetTimestamp();
            _nextFrame = 0;
            _clock = MediaClock.For(_time);
            _clock.Schedule(this, _startTimestamp);
        }
    }

    /// <summary>
    /// Queues 16-bit PCM (at <see cref="RtpStreamSenderOptions.SampleRate"/>) behind earlier audio. The task
    /// completes when its last frame was sent (a short last frame is padded with silence); cancelling drops
    /// what was not sent yet and cancels the task. Do not modify <paramref name="pcm"/> until then.
    /// </summary>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task PlayAsync(ReadOnlyMemory<short> pcm, CancellationToken ct = default)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled(ct);
        if (pcm.IsEmpty) return Task.CompletedTask;
        var item = new PlayItem(pcm);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Enqueue(item);
        }
        if (ct.CanBeCanceled)
        {
            item.Registration = ct.UnsafeRegister(static (s, token) => ((RtpStreamSender.CancelState)s!).Cancel(token), new CancelState(this, item));
        }
        return item.Completion.Task;
    }

    /// <summary>Stops the schedule and cancels queued audio. The socket stays open.</summary>
    public ValueTask DisposeAsync()
    {
        PlayItem[] pending;
        lock (_gate)
        {
            if (_disposed) return ValueTask.CompletedTask;
            _disposed = true; // the clock drops the stream at its next due time
            pending = _queue.ToArray();
            _queue.Clear();
        }
        foreach (var item in pending)
        {
            item.Registration.Unregister();
            item.Completion.TrySetCanceled();
        }
        return ValueTask.CompletedTask;
    }

    private void Cancel(PlayItem item, CancellationToken token)
    {
        lock (_gate)
        {
            if (item.Completion.Task.IsCompleted) return;
            item.Cancelled = true;
        }
        item.Completion.TrySetCanceled(token);
    }

    long IPacedStream.OnDue(long now)
    {
        List<PlayItem>? finished = null;
        long next;
        lock (_gate)
        {
            if (_disposed) return MediaClock.Stop;
            try
            {
                long due = _time.GetElapsedTime(_startTimestamp).Ticks / _intervalTicks;
                if (due - _nextFrame >= MaxBurstFrames)
                {
                    // A stall (GC, suspended VM): send one frame now rather than a burst the far end would drop.
                    Log.SenderFellBehind(_logger, _options.Ssrc, due - _nextFrame);
                    _nextFrame = due;
                }
                int frames = 0;
                while (_nextFrame <= due)
                {
                    if (frames == MaxBurstFrames) frames = SendBatch(frames);
                    WriteFrame(_batch.AsSpan(frames * _packetSize, _packetSize), ref finished);
                    frames++;
                    _nextFrame++;
                }
                SendBatch(frames);
            }
            catch (Exception ex)
            {
                Log.SenderTickFailed(_logger, ex, _options.Ssrc);
            }
            next = _startTimestamp + (long)((Int128)_nextFrame * _intervalTicks * _time.TimestampFrequency / TimeSpan.TicksPerSecond);
        }
        if (finished is not null)
        {
            foreach (var item in finished)
            {
                item.Registration.Unregister();
                item.Completion.TrySetResult();
            }
        }
        return next;
    }

    // The frames due in one tick leave in one system call (sendmmsg on Linux); then each is reported to PacketSent.
    private int SendBatch(int frames)
    {
        if (frames == 0) return 0;
        Span<int> lengths = stackalloc int[frames];
        lengths.Fill(_packetSize);
        _socket.SendBatch(_batch.AsSpan(0, frames * _packetSize), lengths, _remote);
        Interlocked.Add(ref _packetsSent, frames);
        for (int i = 0; i < frames; i++)
        {
            try
            {
                PacketSent?.Invoke(_batch.AsSpan(i * _packetSize, _packetSize));
            }
            catch (Exception ex)
            {
                Log.PacketSentHandlerFailed(_logger, ex, _options.Ssrc);
            }
        }
        return 0;
    }

    private void WriteFrame(Span<byte> packet, ref List<PlayItem>? finished)
    {
        while (_queue.TryPeek(out var head) && head.Cancelled) _queue.Dequeue();

        var payload = packet[RtpHeader.Size..];
        bool audio = _queue.TryPeek(out var item);
        if (audio)
        {
            var source = item!.Pcm.Span[item.Position..];
            int take = Math.Min(source.Length, _frame.Length);
            source[..take].CopyTo(_frame);
            _frame.AsSpan(take).Clear();
            item.Position += take;
            if (item.Position == item.Pcm.Length)
            {
                _queue.Dequeue();
                (finished ??= new List<PlayItem>()).Add(item);
            }
            if (_options.PayloadType == G711.PcmaPayloadType) G711.EncodeALaw(_frame, payload);
            else G711.EncodeMuLaw(_frame, payload);
        }
        else
        {
            payload.Fill(_silence);
        }

        bool marker = _firstPacket || (audio && !_talking);
        _firstPacket = false;
        _talking = audio;
        new RtpHeader(_options.PayloadType, marker, _sequence, _timestamp, _options.Ssrc).Write(packet);
        _sequence++;
        _timestamp += (uint)_options.SamplesPerPacket;
    }

    private sealed class PlayItem(ReadOnlyMemory<short> pcm)
    {
        public ReadOnlyMemory<short> Pcm { get; } = pcm;
        public int Position { get; set; }
        public bool Cancelled { get; set; }
        public CancellationTokenRegistration Registration { get; set; }
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record CancelState(RtpStreamSender Sender, PlayItem Item)
    {
        public void Cancel(CancellationToken token) => Sender.Cancel(Item, token);
    }
}
