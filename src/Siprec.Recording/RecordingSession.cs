using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Recording.Connectors;
using Siprec.Recording.Dialogs;
using Siprec.Recording.MediaEngines;
using Siprec.Recording.Metadata;
using Siprec.Sip.Auth;
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

    internal RecordingSession(SiprecClient client, RecordedCall call)
    {
        _client = client;
        _call = call;
        _logger = client.Logger;
        _media = client.MediaEngine.OpenCall(call.CallId);
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
        var settings = BuildSettings(request, options, metadata);
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
            dialogs = uris.Select(u => CreateDialog(u, metadata, settings)).ToList();
            _dialogs = dialogs;
            _metadata = metadata;
            _failover?.Stop();
            _failover = NewFailover(dialogs, metadata, settings, options.Connector?.FailoverUris ?? []);
            _pausedSince = null;
            _pausedTotal = TimeSpan.Zero;
            _state = RecordingState.Starting;
            _startDecided = decided;
            _startSettled = settled;
        }

        try
        {
            return await RunStartAsync(dialogs, snapshot, decided, ct).ConfigureAwait(false);
        }
        finally
        {
            settled.TrySetResult();
        }
    }

    private async Task<RecordingStartResult> RunStartAsync(List<RecordingDialog> dialogs, byte[] snapshot, TaskCompletionSource<bool> decided, CancellationToken ct)
    {
        var invites = dialogs.Select(d => RunInviteAsync(d, snapshot, decided)).ToArray();
        var allDone = Task.WhenAll(invites);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timeout = Task.Delay(_client.Options.NoAnswerTimeout, _client.Time, timeoutCts.Token);
        await Task.WhenAny(decided.Task, allDone, timeout).ConfigureAwait(false);
        timeoutCts.Cancel();

        RecordingStartResult result;
        var events = new List<RecordingEvent>();
        lock (_gate)
        {
            if (_state is RecordingState.Recording or RecordingState.Paused && ReferenceEquals(_dialogs, dialogs))
            {
                result = new RecordingStartResult(true, false, Snapshot(dialogs));
            }
            else if (_state != RecordingState.Starting || !ReferenceEquals(_startDecided, decided))
            {
                // Stopped while starting.
                result = new RecordingStartResult(false, false, Snapshot(dialogs));
            }
            else if (allDone.IsCompleted)
            {
                _state = RecordingState.Failed;
                result = new RecordingStartResult(false, false, Snapshot(dialogs));
                events.Add(NewEvent(RecordingEventKind.Failed, null, "every SRS failed: " + string.Join("; ", result.Outcomes)));
            }
            else
            {
                var cancelled = ct.IsCancellationRequested;
                var detail = cancelled ? "start cancelled" : $"no answer within {_client.Options.NoAnswerTimeout.TotalSeconds:0.###} s";
                foreach (var d in dialogs)
                    d.Abandon(cancelled ? SrsOutcomeKind.Cancelled : SrsOutcomeKind.Timeout, detail);
                _state = RecordingState.Idle;
                result = new RecordingStartResult(false, !cancelled, Snapshot(dialogs));
                events.Add(NewEvent(RecordingEventKind.Failed, null, detail));
            }
        }

        Raise(events);
        if (!result.Started)
            ct.ThrowIfCancellationRequested();
        return result;
    }

    private DialogSettings BuildSettings(RecordingControlRequest request, RecordingStartOptions options, RecordingMetadata metadata)
    {
        var connector = options.Connector;
        var sessionExpires = options.SessionExpires
            ?? (connector?.SessionTimeoutSecs is { } secs ? TimeSpan.FromSeconds(secs) : _client.Options.SessionExpires);
        var headers = new List<KeyValuePair<string, string>>();
        if (connector is not null)
            headers.AddRange(connector.Headers.Where(h => SrsConnectorOptions.IsAllowedHeader(h.Key)));
        if (!request.IncludeMetadataCustomHeaders)
        {
            // Telnyx's default: Parameters are SIP headers on the INVITE. Only header-safe names and values travel; the rest
            // would corrupt the INVITE.
            headers.AddRange(request.Parameters.Where(h => SrsConnectorOptions.IsAllowedHeader(h.Key) && InfoRequestMapping.IsSafeHeaderValue(h.Value)));
        }

        var credentials = connector is { UserName: { Length: > 0 } user, Password: { } password } ? new DigestCredentials(user, password, connector.Realm) : null;
        var pingInterval = connector?.PingIntervalSecs is { } ping ? TimeSpan.FromSeconds(ping) : _client.Options.PingInterval;
        return new DialogSettings(sessionExpires, connector?.EffectiveTransport, headers, () => metadata.BuildSnapshot(_client.Time.GetUtcNow()), credentials,
            connector?.Secure == true, pingInterval);
    }

    private RecordingDialog CreateDialog(string srsUri, RecordingMetadata metadata, DialogSettings settings, IReadOnlyList<Sip.Transport.SipTarget>? targets = null)
    {
        SipUri.TryParse(srsUri, out var uri);
        var streams = new List<OfferedStream>();
        foreach (var party in (CallParty[])[CallParty.Caller, CallParty.Bot])
        {
            if (metadata.Track.Includes(party))
                streams.Add(new OfferedStream(party, party == CallParty.Caller ? RecordingMetadata.CallerLabel : RecordingMetadata.BotLabel));
        }

        return new RecordingDialog(_client.DialogContext, srsUri, uri, streams, settings, _media, targets, _gate) { RemoteEnded = OnRemoteEnded };
    }

    private static void AddStreams(RecordingDialog dialog) => dialog.Media?.Join();

    private static void RemoveStreams(RecordingDialog dialog) => dialog.Media?.Leave();

    private async Task RunInviteAsync(RecordingDialog dialog, byte[] metadata, TaskCompletionSource<bool> decided)
    {
        var outcome = await dialog.InviteAsync(metadata, d => Admit(d, decided)).ConfigureAwait(false);
        if (outcome.Kind != SrsOutcomeKind.Accepted)
            Raise([NewEvent(RecordingEventKind.Failed, dialog.SrsUri, outcome.Detail)]);
    }

    /// <summary>Adds an accepted recorder if this start is still wanted; runs on the dialog's task.</summary>
    private bool Admit(RecordingDialog dialog, TaskCompletionSource<bool> decided)
    {
        var events = new List<RecordingEvent>();
        var pauseNow = false;
        lock (_gate)
        {
            if (!ReferenceEquals(_startDecided, decided) || _state is not (RecordingState.Starting or RecordingState.Recording or RecordingState.Paused))
                return false;

            if (_state == RecordingState.Paused)
            {
                dialog.SetMediaPaused(true);
                pauseNow = true;
            }

            AddStreams(dialog);
            events.Add(NewEvent(RecordingEventKind.Started, dialog.SrsUri, dialog.Outcome.Detail));
            if (_state == RecordingState.Starting)
            {
                _state = RecordingState.Recording;
                events.Add(NewEvent(RecordingEventKind.Started, null, $"{dialog.SrsUri} accepted"));
            }
        }

        Raise(events);
        decided.TrySetResult(true);
        dialog.StartLiveness();
        if (pauseNow)
            _ = PauseLateJoinerAsync(dialog);
        return true;
    }

    private async Task PauseLateJoinerAsync(RecordingDialog dialog)
    {
        var outcome = await dialog.ReinviteAsync(Sip.Sdp.SdpDirection.Inactive, CancellationToken.None).ConfigureAwait(false);
        Raise([NewEvent(RecordingEventKind.Paused, dialog.SrsUri, outcome.Detail)]);
    }

    // "No silent loss" (DESIGN): the recording is Recording or Paused only while a recorder is known alive, i.e. established,
    // or a failover to a standby is under way (bounded: NoAnswerTimeout per standby); an INVITE of the start still pending
    // does not count (if it is accepted after the recording failed, it is sent BYE).
    private void OnRemoteEnded(RecordingDialog dialog, RecorderFailure failure)
    {
        RecorderFailover.Run? failover = null;
        var events = new List<RecordingEvent>();
        lock (_gate)
        {
            RemoveStreams(dialog);
            if (_state is RecordingState.Recording or RecordingState.Paused && _dialogs.Contains(dialog))
                // The gap starts when the recorder was last known to receive (an ICMP streak's start, the last RTCP), else now.
                failover = _failover?.TryBegin(dialog, failure, failure.LostSince ?? _client.Time.GetUtcNow());
            events.Add(NewEvent(RecordingEventKind.Failed, dialog.SrsUri, failure.Detail) with { Failure = failure, FailoverPending = failover is not null });
            var anyLeft = _dialogs.Any(d => d.Status == RecorderStatus.Established) || _failover?.ActiveRuns > 0;
            if (!anyLeft && _state is RecordingState.Recording or RecordingState.Paused)
            {
                _state = RecordingState.Failed;
                events.Add(NewEvent(RecordingEventKind.Failed, null, $"every recorder has ended; last: {dialog.SrsUri}: {failure.Detail}") with { Failure = failure });
            }
        }

        Raise(events);
        failover?.Go();
        _ = dialog.DisposeAsync().AsTask();
    }

    private static SrsOutcome[] Snapshot(List<RecordingDialog> dialogs) => dialogs.Select(d => d.Outcome).ToArray();

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

    private RecordingEvent NewEvent(RecordingEventKind kind, string? srsUri, string? reason) =>
        new(kind, _client.Time.GetUtcNow(), srsUri, reason) { CallId = _call.CallId };

    private void Raise(IEnumerable<RecordingEvent> events)
    {
        foreach (var e in events)
        {
            if (e.SrsUri is { } srsUri)
                Log.RecorderEvent(_logger, _call.CallId, e.Kind, srsUri, e.Reason ?? "no detail");
            else
                Log.RecordingEvent(_logger, _call.CallId, e.Kind, e.Reason ?? "no detail");
            _client.Publish(e);
            try
            {
                EventRaised?.Invoke(e);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_logger, ex);
            }
        }
    }
}
