using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Recording.Dialogs;
using Siprec.Recording.MediaEngines;
using Siprec.Recording.Metadata;
using Siprec.Sip.Messages;

namespace Siprec.Recording;

/// <summary>
/// The recording of one call (RFC 7866 §6.1, a recording session per SRS): starts one recording dialog per SRS
/// in parallel, forks the caller's RTP to label 1 and the bot's to label 2 of every accepted recorder (one of
/// them for a single track), pauses, resumes and stops them, and sends metadata updates. Thread-safe; media entry points never block or throw.
/// </summary>
/// <remarks>
/// Issue 11, one serialized context per recording (PJSIP's group lock is the model): the session, every recording dialog
/// it opens and its failover share one lock, <see cref="GroupLock"/>, held only for a state change and never across an
/// await, so no operation waits for another one's SIP transaction. What an operation waits for is its own transactions
/// (each bounded by RFC 3261 timers and <see cref="SrcOptions.NoAnswerTimeout"/>) and, for a pause, resume or stop, the
/// decision of a start in flight (<see cref="StartSettled"/>).
/// </remarks>
public sealed partial class RecordingSession : IAsyncDisposable
{
    private readonly SiprecClient _client;
    private readonly RecordedCall _call;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly IMediaEngineCall _media;
    private List<RecordingDialog> _dialogs = [];
    private RecordingState _state = RecordingState.Idle;
    private TaskCompletionSource<bool>? _startDecided;
    private TaskCompletionSource? _startSettled;
    private bool _closed;
    private RecordingMetadata? _metadata;
    private RecorderFailover? _failover;
    private DateTimeOffset? _pausedSince;
    private TimeSpan _pausedTotal;
    private readonly StandbyRecorders _standbys;
    private readonly ParallelRecordingStart _start;
    private readonly RecorderDialogFactory _dialogFactory;
    private readonly RecordingEventRaiser _events;

    internal RecordingSession(SiprecClient client, RecordedCall call)
    {
        _client = client;
        _call = call;
        _logger = client.Logger;
        _media = client.MediaEngine.OpenCall(call.CallId);
        _events = new RecordingEventRaiser(client.Time, _logger, call.CallId);
        // The factory and the standbys need each other; a dialog ends only long after this constructor has set both.
        _dialogFactory = new RecorderDialogFactory(client, _media, _gate, (dialog, failure) => _standbys!.OnRemoteEnded(dialog, failure));
        _standbys = new StandbyRecorders(this, _dialogFactory, client, _logger, call.CallId);
        _start = new ParallelRecordingStart(this, client);
    }

    /// <summary>Raised on every status change of a recorder or of the whole recording; handler exceptions are logged and swallowed.</summary>
    public event Action<RecordingEvent>? EventRaised;

    /// <summary>The state of the recording.</summary>
    public RecordingState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>
    /// Completes when the start in flight has its answer (a recorder accepted, every one failed, or the no-answer window
    /// ended); already completed when no start is in flight. Never faults.
    /// </summary>
    public Task StartSettled
    {
        get { lock (_gate) return _startSettled?.Task ?? Task.CompletedTask; }
    }

    /// <summary>True once <see cref="Close"/> was called: the call is over and no start is accepted any more.</summary>
    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>The one lock of this recording (session, dialogs, failover); held for state changes only, never across an await.</summary>
    internal Lock GroupLock => _gate;

    // The state the collaborators (ParallelRecordingStart, StandbyRecorders) read and change, only under GroupLock: the
    // coordinator keeps the fields, each collaborator the logic of its concern.
    internal RecordingState StateUnderLock { get => _state; set => _state = value; }

    internal List<RecordingDialog> DialogsUnderLock => _dialogs;

    internal TaskCompletionSource<bool>? StartDecidedUnderLock => _startDecided;

    internal RecorderFailover? FailoverUnderLock => _failover;

    /// <summary>
    /// Marks the recording's call as over: a later <see cref="StartAsync(RecordingControlRequest, RecordingStartOptions, CancellationToken)"/>
    /// throws. Does not stop anything by itself (see <see cref="StopAsync"/>); idempotent.
    /// </summary>
    public void Close()
    {
        lock (_gate) _closed = true;
    }

    /// <summary>One outcome per SRS of the latest start, in request order, updated as late answers arrive.</summary>
    public IReadOnlyList<SrsOutcome> Outcomes
    {
        get { lock (_gate) return _dialogs.Select(d => d.Outcome).ToArray(); }
    }

    /// <summary>Forks one RTP packet of the caller (label 1) to every accepted recorder; drops it when none.</summary>
    public void OnCallerRtp(ReadOnlySpan<byte> packet) => _media.OnCallerRtp(packet);

    /// <summary>Forks one RTP packet of the bot (label 2) to every accepted recorder; drops it when none.</summary>
    public void OnBotRtp(ReadOnlySpan<byte> packet) => _media.OnBotRtp(packet);

    /// <summary>Starts with <see cref="RecordingStartOptions.Default"/> (both tracks, parameters in the metadata).</summary>
    /// <exception cref="ArgumentException">No SRS URI, or more than <see cref="SrcOptions.MaxRecorders"/>.</exception>
    /// <exception cref="InvalidOperationException">Already starting, recording or paused.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; pending INVITEs are cancelled and the state is Idle.</exception>
    public Task<RecordingStartResult> StartAsync(RecordingControlRequest request, CancellationToken ct) =>
        StartAsync(request, RecordingStartOptions.Default, ct);

    /// <summary>
    /// Sends one INVITE per SRS in parallel (RFC 7866 §7.1) and returns as soon as one accepts (the others go on
    /// and join if they accept later), when every SRS has failed, or at <see cref="SrcOptions.NoAnswerTimeout"/>
    /// (then every pending INVITE is cancelled, a late 2xx gets ACK and BYE, and the state is back to Idle).
    /// The SRS URIs are the request's, else the connector's.
    /// </summary>
    /// <exception cref="ArgumentException">No SRS URI, or more than <see cref="SrcOptions.MaxRecorders"/>.</exception>
    /// <exception cref="InvalidOperationException">Already starting, recording or paused, or <see cref="Close"/>d (<see cref="IsClosed"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; pending INVITEs are cancelled and the state is Idle.</exception>
    public async Task<RecordingStartResult> StartAsync(RecordingControlRequest request, RecordingStartOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var uris = request.SrsUris.Count > 0 ? request.SrsUris : (IReadOnlyList<string>?)options.Connector?.Uris ?? [];
        if (uris.Count == 0)
            throw new ArgumentException("A recording start needs at least one SRS URI.", nameof(request));
        if (uris.Count > _client.Options.MaxRecorders)
            throw new ArgumentException($"too many recorders: {uris.Count} (at most {_client.Options.MaxRecorders})", nameof(request));

        var metadata = new RecordingMetadata(_call, request, request.Track);
        var settings = _dialogFactory.BuildSettings(request, options, metadata);
        var snapshot = metadata.BuildSnapshot(_client.Time.GetUtcNow());
        var decided = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        List<RecordingDialog> dialogs;
        lock (_gate)
        {
            if (_closed)
                throw new InvalidOperationException("Cannot start a recording of a call that has ended.");
            if (_state is RecordingState.Starting or RecordingState.Recording or RecordingState.Paused)
                throw new InvalidOperationException($"Cannot start a recording that is {_state}.");
            dialogs = uris.Select(u => _dialogFactory.Create(u, metadata, settings)).ToList();
            _dialogs = dialogs;
            _metadata = metadata;
            _failover?.Stop();
            _failover = _standbys.NewFailover(dialogs, metadata, settings, options.Connector?.FailoverUris ?? []);
            _pausedSince = null;
            _pausedTotal = TimeSpan.Zero;
            _state = RecordingState.Starting;
            _startDecided = decided;
            _startSettled = settled;
        }

        try
        {
            return await _start.RunAsync(dialogs, snapshot, decided, ct).ConfigureAwait(false);
        }
        finally
        {
            settled.TrySetResult();
        }
    }

    internal static void AddStreams(RecordingDialog dialog) => dialog.Media?.Join();

    internal static void RemoveStreams(RecordingDialog dialog) => dialog.Media?.Leave();

    // Metadata updates of an established recording (RFC 7866 §7.1.2, RFC 7865 §8.2 partial updates).
    /// <summary>
    /// Tells every recorder that <paramref name="party"/> stopped (hold) or resumed sending: a partial update in an
    /// UPDATE when the SRS allows it, else in a re-INVITE with the current SDP. Succeeded with no outcomes when the
    /// hold state did not change; not succeeded (nothing sent) unless recording or paused.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while requests were out.</exception>
    public Task<RecordingOperationResult> SetOnHoldAsync(CallParty party, bool onHold, CancellationToken ct) =>
        SendUpdateAsync(m => m.SetOnHold(party, onHold), ct);

    /// <summary>
    /// Replaces a participant (e.g. after a transfer) and sends every recorder the partial update: the old participant
    /// disassociated, the new one associated with the session and the streams. Not succeeded unless recording or paused.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while requests were out.</exception>
    public Task<RecordingOperationResult> ReplaceParticipantAsync(CallParty party, NameAddress address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        return SendUpdateAsync(m => m.ReplaceParticipant(party, address, _client.Time.GetUtcNow()), ct);
    }

    private async Task<RecordingOperationResult> SendUpdateAsync(Func<RecordingMetadata, byte[]?> change, CancellationToken ct)
    {
        byte[]? update;
        List<RecordingDialog> targets;
        lock (_gate)
        {
            if (_state is not (RecordingState.Recording or RecordingState.Paused) || _metadata is null)
                return new RecordingOperationResult(false, []);
            update = change(_metadata);
            targets = Established();
        }

        if (update is null)
            return new RecordingOperationResult(true, []);
        var outcomes = await Task.WhenAll(targets.Select(d => d.SendMetadataAsync(update, ct))).ConfigureAwait(false);
        return new RecordingOperationResult(outcomes.Any(o => o.Kind == SrsOutcomeKind.Accepted), outcomes);
    }

    /// <summary>
    /// Per established recorder and stream, what the SRC sent and what the recorder reports receiving (RFC 3550 receiver
    /// reports); a snapshot, cheap enough to read on every REST fetch or metric collection.
    /// </summary>
    public IReadOnlyList<RecorderStreamReport> StreamReports()
    {
        List<RecordingDialog> dialogs;
        lock (_gate) dialogs = _dialogs.Where(d => d.Status == RecorderStatus.Established).ToList();
        return dialogs.Where(d => d.Media is not null)
            .SelectMany(d => d.Streams.Select((s, i) => new RecorderStreamReport(d.SrsUri, s.Label, d.Media!.PacketsForwarded(i), d.Media.LatestRecorderReport(i))))
            .ToList();
    }

    internal RecordingEvent NewEvent(RecordingEventKind kind, string? srsUri, string? reason) => _events.New(kind, srsUri, reason);

    // EventRaised is read per event, so a handler added while a batch is raised gets the rest of the batch.
    internal void Raise(IEnumerable<RecordingEvent> events)
    {
        foreach (var e in events)
            _events.Raise(e, EventRaised);
    }
}
