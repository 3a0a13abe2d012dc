using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Rtp;
using Siprec.Media.Wav;
using Siprec.Recorder.Metadata;
using Siprec.Recorder.Offers;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transport;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// One recording session on the SRS (RFC 7866 §6): the dialog, one RTP socket and WAV channel per recorded
/// m-line, pause state, and the WAV and JSON files. Thread-safe: RTP receive loops, the flush timer and
/// SIP requests may call in concurrently.
/// </summary>
internal sealed class RecorderSession
{
    /// <summary>WAV sample rate in Hz (G.711).</summary>
    public const int SampleRate = 8000;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<StreamPlan> _plans;
    private readonly MultiTrackWavRecorder _wav;
    private readonly List<RecordedStream> _streams;
    private readonly RecordingPauses _pauses;
    private readonly SessionAnswer _answer;
    private readonly WriteAudio _write;
    private readonly SessionWatch _watch;
    private ITimer? _flushTimer;
    private DateTimeOffset _sidecarWrittenAt;
    private DateTimeOffset _mediaSeenAt;
    private long _packetsSeen;
    private SessionEnd? _abandoned;
    private string? _endReason;

    /// <summary>How often, at most, the sidecar is rewritten while recording (DESIGN §4.5: at least every 5 s).</summary>
    internal static readonly TimeSpan SidecarInterval = TimeSpan.FromSeconds(5);
    private bool _paused;
    private RecordedSessionSummary? _summary;

    private RecorderSession(string id, string outputDirectory, SiprecOffer offer, IReadOnlyList<StreamPlan> plans,
        IReadOnlyList<RecordedStream> streams, IPAddress advertisedAddress, Dialog dialog, IPEndPoint source, SipTransportProtocol transport,
        SessionWatch watch, TimeProvider time, ILogger logger)
    {
        Id = id;
        _time = time;
        _logger = logger;
        _watch = watch;
        Timers = new DialogTimers(time);
        _plans = plans;
        _streams = streams.ToList();
        Dialog = dialog;
        SourceAddress = source;
        Transport = transport;
        SipCallId = dialog.Id.CallId;
        Metadata = offer.Metadata;
        MetadataError = offer.Metadata?.Error;
        WavPath = Path.GetFullPath(Path.Combine(outputDirectory, id + ".wav"));
        JsonPath = Path.GetFullPath(Path.Combine(outputDirectory, id + ".json"));
        StartedAt = time.GetUtcNow();
        _mediaSeenAt = StartedAt;
        _wav = new MultiTrackWavRecorder(WavPath, _streams.Count, time, SampleRate);
        _write = WriteToWav;
        _pauses = new RecordingPauses(_streams.Select(s => s.Channel).ToList(), WavSecondsNow);
        _answer = new SessionAnswer(plans, _streams, advertisedAddress);
    }

    public string Id { get; }
    public Dialog Dialog { get; }
    public IPEndPoint SourceAddress { get; }

    /// <summary>The SIP transport the SRC's INVITE arrived over (RFC 3261 §18); its in-dialog requests use the same.</summary>
    public SipTransportProtocol Transport { get; }
    public string SipCallId { get; }
    public RecordingMetadata? Metadata { get; private set; }
    public string? MetadataError { get; private set; }
    public string WavPath { get; }
    public string JsonPath { get; }
    public DateTimeOffset StartedAt { get; }
    public IReadOnlyList<RecordedStream> Streams => _streams;
    public IEnumerable<StreamPlan> DeclinedStreams => _plans.Where(p => !p.Recorded);
    public IReadOnlyList<PausedSpan> PausedSpans { get { lock (_gate) return _pauses.ToList(); } }
    public double DurationSeconds => _wav.DurationSeconds;

    /// <summary>WAV bytes written so far (all channels, 16-bit samples; the header excluded).</summary>
    public long BytesWritten => _wav.FramesWritten * _streams.Count * sizeof(short);

    /// <summary>Packets that came after their frames were written and were merged into the WAV (no audio lost).</summary>
    public long LatePacketsMerged => _wav.RepairedPackets;

    /// <summary>Packets dropped because they came more than 5 s after their frames were written.</summary>
    public long LatePacketsDropped => _wav.LatePackets;
    public bool IsPaused { get { lock (_gate) return _paused; } }

    /// <summary>The dialog's missing-ACK watch and session timer.</summary>
    public DialogTimers Timers { get; }
    public bool IsCompleted { get { lock (_gate) return _summary is not null; } }

    /// <summary>Why the SRS ended the session, once final and not ended by the SRC; the sidecar's <c>reason</c>.</summary>
    public string? EndReason { get { lock (_gate) return _endReason; } }

    /// <summary>The listener the INVITE arrived on; the session's own requests (BYE) leave through it.</summary>
    public SrsListener? Listener { get; set; }

    /// <summary>The session's place in the server's session limits; given back when the session is finalized.</summary>
    public IDisposable? Admission { get; set; }

    /// <summary>True when the SRC's INVITE listed UPDATE in <c>Allow</c>: the SRS's own session refreshes use it (RFC 4028 §7.4).</summary>
    public bool SrcAllowsUpdate { get; set; }

    /// <summary>The server's key for this session's dialog.</summary>
    public string? DialogKey { get; set; }

    /// <summary>The current SDP answer (same ports for the life of the session).</summary>
    public SdpSession Answer { get; private set; } = null!;

    /// <summary>
    /// Binds one RTP socket per recorded m-line, opens the WAV, writes the first sidecar and answers the
    /// offer. Sockets bind <paramref name="mediaAddress"/>; the SDP names <paramref name="advertisedAddress"/>.
    /// Channels follow label order: numeric labels numerically, otherwise ordinal string order.
    /// <paramref name="transport"/> is the SIP transport of the INVITE, written to the sidecar. <paramref name="watch"/>
    /// says how often to flush and when the session is abandoned (media timeout, storage failure).
    /// </summary>
    public static RecorderSession Start(string id, string outputDirectory, SiprecOffer offer, IReadOnlyList<StreamPlan> plans,
        IPAddress mediaAddress, RtpPortRange? rtpPorts, IPAddress advertisedAddress, Dialog dialog, IPEndPoint source, SipTransportProtocol transport,
        SessionWatch watch, TimeProvider time, ILogger logger)
    {
        var recorded = SdpAnswerBuilder.OrderByLabel(plans.Where(p => p.Recorded).ToList());
        var streams = new List<RecordedStream>(recorded.Count);
        try
        {
            for (var channel = 0; channel < recorded.Count; channel++)
            {
                // RTP on an even port, RTCP on the next odd one (RFC 3550 §11), so the answer needs no a=rtcp.
                var (rtp, rtcp) = RtpSocket.BindPair(mediaAddress, rtpPorts, null);
                var plan = recorded[channel];
                streams.Add(new RecordedStream(plan, channel, rtp, new StreamRtcp(rtcp, plan.OfferedCrypto, plan.AnswerCrypto, id, time, logger))
                {
                    Metrics = watch.Metrics,
                });
            }
            var session = new RecorderSession(id, outputDirectory, offer, plans, streams, advertisedAddress, dialog, source, transport, watch, time, logger);
            session._paused = SdpAnswerBuilder.IsPause(offer.Sdp, plans);
            if (session._paused) session._pauses.Open(session.StartedAt, 0);
            session.Answer = session._answer.Build(offer.Sdp);
            if (session.MetadataError is { } error) Log.MetadataError(logger, id, error);
            session.WriteSidecar(null, complete: false);
            foreach (var stream in streams)
            {
                var current = stream;
                stream.Socket.Start((packet, _) => session.OnPacket(current, packet));
                stream.Rtcp?.Start();
            }
            session._flushTimer = time.CreateTimer(static s => ((RecorderSession)s!).FlushTick(), session, watch.FlushInterval, watch.FlushInterval);
            return session;
        }
        catch
        {
            foreach (var stream in streams)
            {
                _ = stream.Socket.DisposeAsync().AsTask();
                if (stream.Rtcp is { } rtcp) _ = rtcp.DisposeAsync().AsTask();
            }
            throw;
        }
    }

    /// <summary>
    /// Applies a re-INVITE or UPDATE offer: same m-line count required; all recorded lines inactive or port 0
    /// starts a pause, any sendonly/sendrecv ends it (RFC 7866 §8.1.3). Returns the answer, or null with the
    /// reason when the offer cannot be answered.
    /// </summary>
    public SdpSession? ApplyUpdate(SiprecOffer offer, out string? error)
    {
        lock (_gate)
        {
            if (offer.Sdp.Media.Count != _plans.Count)
            {
                error = $"re-offer has {offer.Sdp.Media.Count} m-line(s), the session has {_plans.Count}; m-lines cannot be added or removed (RFC 3264 §8)";
                return null;
            }
            if (offer.Metadata is { } metadata) ApplyMetadata(metadata);
            var pause = SdpAnswerBuilder.IsPause(offer.Sdp, _plans);
            var now = _time.GetUtcNow();
            // Seconds in the WAV, where its audio stops or resumes (placed by RTP timestamp), not the wall clock since the
            // INVITE: a sender whose timestamps lag its sending would otherwise put audio inside the span the sidecar calls paused.
            var seconds = WavSecondsNow();
            if (pause && !_paused)
            {
                _pauses.Open(now, seconds);
                Log.Paused(_logger, Id, seconds);
            }
            else if (!pause && _paused)
            {
                _pauses.Close(now);
                _mediaSeenAt = now; // the media timeout counts from the end of the pause, not across it
                foreach (var stream in _streams) stream.OnResumed();
                Log.Resumed(_logger, Id, seconds);
            }
            _paused = pause;
            Answer = _answer.Build(offer.Sdp);
            WriteSidecarSafely(null, complete: false);
            error = null;
            return Answer;
        }
    }

    /// <summary>Takes a metadata update sent without SDP (RFC 7866 §6.1.2); an unreadable one is only noted.</summary>
    public void UpdateMetadata(RecordingMetadata metadata)
    {
        lock (_gate)
        {
            if (_summary is not null) return;
            ApplyMetadata(metadata);
            WriteSidecarSafely(null, complete: false);
        }
    }

    /// <summary>
    /// Stops the sockets, closes an open pause, writes all buffered audio and the final sidecar. Idempotent:
    /// later calls return the first summary. <paramref name="reason"/> is null when the SRC ended the session
    /// (<paramref name="endedBySrc"/>), else why the SRS did; the sidecar records it.
    /// </summary>
    public async Task<RecordedSessionSummary> CompleteAsync(bool endedBySrc, string? reason)
    {
        lock (_gate)
        {
            if (_summary is not null) return _summary;
        }
        if (_flushTimer is not null) await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await Timers.DisposeAsync().ConfigureAwait(false);
        foreach (var stream in _streams) await stream.Socket.DisposeAsync().ConfigureAwait(false);
        // After the RTP sockets: the final RR (with BYE, RFC 3550 §6.6) covers every packet the stream received.
        foreach (var stream in _streams)
            if (stream.Rtcp is { } rtcp) await rtcp.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_summary is not null) return _summary;
            foreach (var stream in _streams) stream.Dispose();
            var stoppedAt = _time.GetUtcNow();
            if (_paused) _pauses.Close(stoppedAt);
            try
            {
                _wav.Dispose();
            }
            catch (IOException ex)
            {
                Log.WriteFailed(_logger, ex, Id);
                _watch.Metrics?.WriteFailed();
            }
            _endReason = endedBySrc ? null : reason ?? "ended by the recording server";
            try
            {
                WriteSidecar(stoppedAt, endedBySrc);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The one line that says the final sidecar is missing; a storage failure was logged once already.
                if (_abandoned is null) Log.WriteFailed(_logger, ex, Id);
                _watch.Metrics?.WriteFailed();
            }
            _summary = new RecordedSessionSummary(
                Id, WavPath, JsonPath, _wav.DurationSeconds,
                _streams.Select(s => new RecordedStreamSummary(s.Label, s.Channel, s.Packets, s.Lost)).ToList(),
                _pauses.ToList(), Metadata?.RecordingId, endedBySrc) { Reason = _endReason };
            Log.SessionCompleted(_logger, Id, _endReason ?? "BYE from the SRC", _summary.DurationSeconds, WavPath);
            return _summary;
        }
    }

    /// <summary>Live view of the session for an operator's console.</summary>
    public LiveSession Snapshot()
    {
        lock (_gate)
        {
            return new LiveSession(Id, SourceAddress.ToString(), Metadata?.RecordingId, Metadata?.CallSid, _streams.Count,
                _streams.Sum(s => s.Packets), _streams.Sum(s => s.Lost), _paused, _wav.DurationSeconds, StartedAt);
        }
    }

    // Under _gate (OnPacket): the late counters before and after say whether this packet was merged late or dropped.
    private long WriteToWav(int channel, uint timestamp, ReadOnlySpan<short> samples, out bool mergedLate)
    {
        var merged = _wav.RepairedPackets;
        var dropped = _wav.LatePackets;
        var frame = _wav.Write(channel, timestamp, samples);
        mergedLate = _wav.RepairedPackets != merged;
        if (mergedLate) _watch.Metrics?.LatePacket(merged: true);
        if (_wav.LatePackets != dropped) _watch.Metrics?.LatePacket(merged: false);
        _pauses.Placed(channel, frame);
        return frame;
    }

    private void OnPacket(RecordedStream stream, ReadOnlySpan<byte> packet)
    {
        SessionEnd? end = null;
        lock (_gate)
        {
            if (_summary is not null) return;
            try
            {
                // After a storage failure packets are still counted (the sidecar tells what arrived) but not written.
                stream.Receive(packet, _paused || _abandoned is not null, _write);
            }
            catch (IOException ex)
            {
                end = StorageFailed(ex, WavPath);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                Log.WriteFailed(_logger, ex, Id);
            }
        }
        Abandon(end);
    }

    /// <summary>
    /// Notes the first storage failure of the session (logged once, here) and returns the end it asks for; null for any
    /// later one. The caller hands it to <see cref="Abandon"/> outside the lock.
    /// </summary>
    private SessionEnd? StorageFailed(Exception error, string path)
    {
        if (_abandoned is not null) return null;
        _abandoned = SessionEnd.StorageFailed(error);
        Log.StorageFailed(_logger, Id, path, error.Message, _abandoned.ReasonHeader);
        _watch.Metrics?.WriteFailed();
        return _abandoned;
    }

    /// <summary>Asks the server, off the caller's thread (an RTP receive loop or the flush timer), to end the session with BYE.</summary>
    private void Abandon(SessionEnd? end)
    {
        if (end is null) return;
        _ = Task.Run(() => _watch.OnAbandoned(this, end));
    }

    private void ApplyMetadata(RecordingMetadata metadata)
    {
        if (metadata.Error is null)
        {
            Metadata = metadata;
            return;
        }
        MetadataError = metadata.Error;
        Log.MetadataError(_logger, Id, metadata.Error);
    }

    // DESIGN §4.5: the WAV is flushed every tick and the sidecar rewritten at least every SidecarInterval while recording,
    // so a crashed SRS leaves counts at most that old. The same tick judges the media timeout.
    private void FlushTick()
    {
        SessionEnd? end = null;
        lock (_gate)
        {
            if (_summary is not null || _abandoned is not null) return;
            var now = _time.GetUtcNow();
            try
            {
                _wav.Flush();
                if (now - _sidecarWrittenAt >= SidecarInterval)
                {
                    _sidecarWrittenAt = now;
                    WriteSidecar(null, complete: false);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                end = StorageFailed(ex, ex is UnauthorizedAccessException ? JsonPath : WavPath);
            }
            end ??= MediaTimedOut(now);
        }
        Abandon(end);
    }

    /// <summary>The media-timeout end when no RTP arrived on any stream for <see cref="SessionWatch.MediaTimeout"/> while not paused.</summary>
    private SessionEnd? MediaTimedOut(DateTimeOffset now)
    {
        var packets = _streams.Sum(s => s.Packets);
        if (packets != _packetsSeen || _paused)
        {
            _packetsSeen = packets;
            if (!_paused) _mediaSeenAt = now;
            return null;
        }
        if (_watch.MediaTimeout <= TimeSpan.Zero || now - _mediaSeenAt < _watch.MediaTimeout) return null;
        _abandoned = SessionEnd.MediaTimeout(_watch.MediaTimeout);
        return _abandoned;
    }

    private double WavSecondsNow() => (double)_wav.PositionNow() / SampleRate;

    private void WriteSidecar(DateTimeOffset? stoppedAt, bool complete) =>
        SessionSidecar.Write(JsonPath, SessionSidecar.Build(this, stoppedAt, complete));

    private void WriteSidecarSafely(DateTimeOffset? stoppedAt, bool complete)
    {
        try
        {
            WriteSidecar(stoppedAt, complete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.WriteFailed(_logger, ex, Id);
            _watch.Metrics?.WriteFailed();
        }
    }
}
