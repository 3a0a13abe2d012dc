using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Gateway.Observability;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The one place a call's recording is driven from (DESIGN §2: node, INFO and REST all end here). It checks the
/// request against the recording's real state, runs it on the <see cref="RecordingSession"/> and says what
/// happened as a §4.2 code and text.
/// </summary>
/// <remarks>
/// Issue 11, nothing blocks on a recorder: the controller holds no lock and no gate of its own. The recording's state lives
/// in the session, which changes it under its one group lock and never holds it across an await; so a duplicate start is
/// refused at once, even while an earlier start waits for its SRSs, and a stop or the call's end never waits behind a
/// pause whose re-INVITE a stalled SRS holds. A pause, resume or stop arriving while a start is in flight waits for that
/// start's decision (bounded by the no-answer window), then runs on what it decided.
/// </remarks>
internal sealed class RecordingController : IAsyncDisposable
{
    private readonly Func<RecordingSession> _createSession;
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly GatewayMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _operationTimeout;
    private readonly RecordingEventReporter _reporter;
    private readonly RecordingRequirement _requirement;
    private ImmutableList<SrsOutcome> _outcomes = [];
    private ImmutableList<RecordingEvent> _events = [];
    private RecordingSession? _session;
    private int _ended;

    /// <param name="createSession">Makes the call's session; called once, at the first start.</param>
    /// <param name="callSid">The call's SID, the scope of every log line.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="resources">The call's SIPREC session resources (REST view, callbacks); null keeps a private list on the system clock.</param>
    /// <param name="metrics">Instruments; null counts nothing.</param>
    /// <param name="recordingRequired">The gateway's recording-required default (a request's or connector's setting wins).</param>
    /// <param name="endCall">Ends the call when its required recording is unavailable (BYE with the RFC 3326 Reason of
    /// <see cref="RecordingRequirement.ReasonHeaderValue"/>); must return at once. Null: the policy only reports.</param>
    /// <param name="time">The clock of <paramref name="operationTimeout"/>; null: the system clock.</param>
    /// <param name="operationTimeout">How long one request waits for the recorders before it is answered with what is known
    /// (<see cref="GatewayOptions.OperationTimeout"/>); null: the default 5 s.</param>
    public RecordingController(Func<RecordingSession> createSession, string callSid, ILogger<RecordingController> logger,
                               RecordingResources? resources = null, GatewayMetrics? metrics = null, bool recordingRequired = false, Action? endCall = null,
                               TimeProvider? time = null, TimeSpan? operationTimeout = null)
    {
        _time = time ?? TimeProvider.System;
        _operationTimeout = operationTimeout ?? GatewayOptions.DefaultOperationTimeout;
        _createSession = createSession;
        _callSid = callSid;
        _logger = logger;
        _metrics = metrics;
        Resources = resources ?? new RecordingResources(null, callSid, TimeProvider.System, null, null);
        _requirement = new RecordingRequirement(recordingRequired, endCall, callSid, logger, metrics);
        _reporter = new RecordingEventReporter(callSid, logger, Resources, metrics, _requirement);
    }

    /// <summary>The call's SIPREC sessions as resources; every start made through this controller is one.</summary>
    public RecordingResources Resources { get; }

    /// <summary>The current session's state; <see cref="RecordingState.Starting"/> while a start is in flight, Idle before any.</summary>
    public RecordingState State => Volatile.Read(ref _session)?.State ?? RecordingState.Idle;

    /// <summary>Every SRS outcome of every start, stop, pause and resume so far, in order.</summary>
    public IReadOnlyList<SrsOutcome> Outcomes => Volatile.Read(ref _outcomes);

    /// <summary>Every recording event raised on the call so far, in order.</summary>
    public IReadOnlyList<RecordingEvent> Events => Volatile.Read(ref _events);

    /// <summary>Per live recorder and stream: packets sent and the recorder's own receiver report (empty before any start).</summary>
    public IReadOnlyList<RecorderStreamReport> StreamReports() => Volatile.Read(ref _session)?.StreamReports() ?? [];

    /// <summary>Caller's RTP (label 1): forked to the recorders when recording, dropped otherwise.</summary>
    public void OnCallerRtp(ReadOnlySpan<byte> packet) => Volatile.Read(ref _session)?.OnCallerRtp(packet);

    /// <summary>Bot's RTP (label 2): forked to the recorders when recording, dropped otherwise.</summary>
    public void OnBotRtp(ReadOnlySpan<byte> packet) => Volatile.Read(ref _session)?.OnBotRtp(packet);

    /// <summary>Carries out one request and answers it exactly once; never throws for a request that is invalid in the current state.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call is ending).</exception>
    public Task<RecordingCommandResult> ExecuteAsync(RecordingControlRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(request, RecordingRequestOptions.None, cancellationToken);

    /// <summary>
    /// Carries out one request with a start's name and callback settings (REST) and answers it exactly once; the
    /// result carries the session resource it made or changed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call is ending).</exception>
    public Task<RecordingCommandResult> ExecuteAsync(RecordingControlRequest request, RecordingRequestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var progress = new RecorderProgress();
        var work = request.Action switch
        {
            RecordingAction.Start => StartAsync(request, options, cancellationToken),
            RecordingAction.Stop => OperateAsync(StopCoreAsync, progress, cancellationToken),
            RecordingAction.Pause => OperateAsync(PauseCoreAsync, progress, cancellationToken),
            RecordingAction.Resume => OperateAsync(ResumeCoreAsync, progress, cancellationToken),
            _ => Task.FromResult(new RecordingCommandResult(400, RecordingErrorTexts.UnknownReason(request.Action.ToString()))),
        };
        return BoundedAsync(work, request.Action, progress, cancellationToken);
    }

    /// <summary>
    /// Issue 11, nothing blocks on a recorder: the caller (REST, INFO) gets an answer within the operation bound (a start,
    /// which has its own no-answer window, within twice the bound). A pause, resume or stop that some recorders confirmed
    /// by then is answered 200 naming the recorders still pending (a pause and a stop hold at once: media stops before any
    /// re-INVITE or BYE); when none confirmed, 504 names the action and the recorders still pending. The work goes on and
    /// its result reaches the resource, the events and the callbacks when it completes.
    /// </summary>
    private async Task<RecordingCommandResult> BoundedAsync(Task<RecordingCommandResult> work, RecordingAction action, RecorderProgress progress,
        CancellationToken cancellationToken)
    {
        if (work.IsCompleted) return await work.ConfigureAwait(false);
        var bound = action == RecordingAction.Start ? _operationTimeout * 2 : _operationTimeout;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(bound, _time, timer.Token);
        if (await Task.WhenAny(work, elapsed).ConfigureAwait(false) == work)
        {
            await timer.CancelAsync().ConfigureAwait(false);
            return await work.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        _ = work.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        var name = RecordingActionNames.ToName(action);
        using var scope = LogScope.ForCall(_logger, _callSid);
        if (action != RecordingAction.Start && progress.Confirmed.Count > 0)
        {
            var partly = GatewayTexts.OperationPartlyConfirmed(name, bound, progress.Confirmed, progress.Pending, GatewayTexts.Failures(progress.Answered));
            Log.OperationPending(_logger, partly);
            return new RecordingCommandResult(200, partly) { Resource = ResourceAfter(action) };
        }
        var pending = action == RecordingAction.Start
            ? Volatile.Read(ref _session)?.Outcomes.Where(o => o.Kind == SrsOutcomeKind.Pending).Select(o => o.SrsUri).ToList() ?? []
            : progress.Pending;
        var text = GatewayTexts.OperationPending(name, bound, pending);
        Log.OperationPending(_logger, text);
        return new RecordingCommandResult(504, text);
    }

    // The resource as a confirmed pause, resume or stop leaves it (its own completion later finds it so already).
    private RecordingResource? ResourceAfter(RecordingAction action) => action switch
    {
        RecordingAction.Pause => Resources.SetStatus(RestRecordingStatus.Paused),
        RecordingAction.Resume => Resources.SetStatus(RestRecordingStatus.InProgress),
        _ => Resources.End(),
    };

    /// <summary>
    /// Call end (DESIGN §4.3 "call end stops recording the same way"): refuses every later request, then stops whatever is
    /// recording or starting at once (a start in flight is cancelled; nothing waits for another operation). Never throws;
    /// failures are logged.
    /// </summary>
    public async Task StopForCallEndAsync(CancellationToken cancellationToken)
    {
        using var scope = LogScope.ForCall(_logger, _callSid);
        // Set before the session is read, as SessionForStart publishes the session before reading this flag: one of the
        // two sees the other, so no start opens recording dialogs for a call that is gone.
        Interlocked.Exchange(ref _ended, 1);
        _requirement.Arm(false);
        try
        {
            if (Volatile.Read(ref _session) is { } session)
            {
                session.Close();
                if (session.State is RecordingState.Recording or RecordingState.Paused or RecordingState.Starting)
                {
                    Log.StoppingForCallEnd(_logger, 1);
                    var result = await session.StopAsync(cancellationToken).ConfigureAwait(false);
                    AddOutcomes(result.Outcomes);
                }
            }
            Resources.End();
        }
        catch (Exception ex)
        {
            Log.StopForCallEndFailed(_logger, ex);
            // The call is over whether or not the recorders confirmed: its session is no longer current (the session is disposed next).
            Resources.End();
        }
    }

    /// <summary>Disposes the call's session (the SRC forgets its dialogs).</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _ended, 1);
        if (Volatile.Read(ref _session) is { } session)
        {
            session.Close();
            session.EventRaised -= OnEvent;
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool HasEnded => Volatile.Read(ref _ended) != 0;

    private async Task<RecordingCommandResult> StartAsync(RecordingControlRequest request, RecordingRequestOptions options, CancellationToken cancellationToken)
    {
        if (HasEnded)
        {
            return new RecordingCommandResult(500, GatewayTexts.CallEnded);
        }
        var session = SessionForStart();
        if (session.IsClosed)
        {
            return new RecordingCommandResult(500, GatewayTexts.CallEnded);
        }
        if (session.State is RecordingState.Starting or RecordingState.Recording or RecordingState.Paused)
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.DuplicateStart);
        }
        if (options.Name is { } name && Resources.All.Any(r => r.Name == name))
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.InvalidField("Name", name, "already names another SIPREC session of this call"));
        }
        var pending = Resources.Begin(request, options);
        using var scope = LogScope.ForRecording(_logger, pending.Sid);
        var began = Resources.Time.GetTimestamp();
        var eventsBefore = Events.Count;
        var required = _requirement.IsRequired(request, options.Connector);
        RecordingStartResult result;
        try
        {
            // The session claims the start under its lock before its first await: of two starts that got this far, one runs.
            result = await session.StartAsync(request, RecordingAnswers.StartOptionsFor(request, options), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (session.IsClosed)
        {
            var refused = new RecordingCommandResult(500, GatewayTexts.CallEnded);
            return refused with { Resource = Resources.StartFailed(pending, refused.StatusCode, refused.Text) };
        }
        catch (InvalidOperationException)
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.DuplicateStart);
        }
        AddOutcomes(result.Outcomes);
        RecordingCommandResult answer;
        if (result.Started)
        {
            // Armed before the resource is current: a recording failure reported from now on sees the policy.
            _requirement.Arm(required);
            answer = RecordingAnswers.Started(result) with { Resource = Resources.Started(pending, session.Outcomes) };
            if (session.State == RecordingState.Failed && LastRecordingFailure(eventsBefore) is { } lost)
            {
                // Every recorder died between the start's answer and its resource: end the resource as failed.
                _reporter.RecordingFailed(lost);
            }
        }
        else
        {
            answer = RecordingAnswers.StartFailed(result, required);
            answer = answer with { Resource = Resources.StartFailed(pending, answer.StatusCode, answer.FullText, result.Outcomes) };
            if (required && !HasEnded)
            {
                _requirement.EndCall(pending.Sid, RecordingRequirement.AtStart, answer.Text!);
            }
        }
        foreach (var outcome in result.Outcomes)
        {
            _metrics?.RecorderOutcome(outcome);
        }
        _metrics?.StartCompleted(Resources.Time.GetElapsedTime(began), answer.StatusCode);
        return answer;
    }

    private async Task<RecordingCommandResult> StopCoreAsync(RecordingSession? session, RecorderProgress progress, CancellationToken cancellationToken)
    {
        if (session is not { State: RecordingState.Recording or RecordingState.Paused })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.StopWhileNotRecording);
        }
        _requirement.Arm(false);
        var result = await session.StopAsync(cancellationToken, progress).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        if (!result.Succeeded)
        {
            // Another stop, or the recording's failure, ended it meanwhile.
            return new RecordingCommandResult(400, RecordingErrorTexts.StopWhileNotRecording);
        }
        var failed = GatewayTexts.Failures(result.Outcomes).ToList();
        return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.OperationWithFailures(RecordingActionNames.Stop, failed))
        {
            Resource = Resources.End(),
        };
    }

    private async Task<RecordingCommandResult> PauseCoreAsync(RecordingSession? session, RecorderProgress progress, CancellationToken cancellationToken)
    {
        if (session is not { State: RecordingState.Recording })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.InvalidPause);
        }
        var result = await session.PauseAsync(cancellationToken, progress).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        return Track(RecordingAnswers.Judge(session.State, result, RecordingState.Paused, RecordingState.Recording, RecordingErrorTexts.InvalidPause, RecordingActionNames.Pause),
            RestRecordingStatus.Paused);
    }

    private async Task<RecordingCommandResult> ResumeCoreAsync(RecordingSession? session, RecorderProgress progress, CancellationToken cancellationToken)
    {
        if (session is not { State: RecordingState.Paused })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.InvalidResume);
        }
        var result = await session.ResumeAsync(cancellationToken, progress).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        return Track(RecordingAnswers.Judge(session.State, result, RecordingState.Recording, RecordingState.Paused, RecordingErrorTexts.InvalidResume, RecordingActionNames.Resume),
            RestRecordingStatus.InProgress);
    }

    private RecordingCommandResult Track(RecordingCommandResult result, string statusWhenDone) =>
        result.IsSuccess ? result with { Resource = Resources.SetStatus(statusWhenDone) } : result with { Resource = Resources.Current };

    // A pause, resume or stop: refused once the call ended; while a start is in flight, it runs on what the start decides
    // (waiting at most the start's no-answer window; the caller's own answer is bounded by BoundedAsync).
    private async Task<RecordingCommandResult> OperateAsync(Func<RecordingSession?, RecorderProgress, CancellationToken, Task<RecordingCommandResult>> operation,
        RecorderProgress progress, CancellationToken cancellationToken)
    {
        if (HasEnded)
        {
            return new RecordingCommandResult(500, GatewayTexts.CallEnded);
        }
        var session = Volatile.Read(ref _session);
        if (session is not null)
        {
            await session.StartSettled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return await operation(session, progress, cancellationToken).ConfigureAwait(false);
    }

    // One session per call, made at the first start: it starts again from Idle, Stopped or Failed, so a retry after
    // a failed start is a new start, never a "duplicate", and late SRS answers still reach their dialogs.
    private RecordingSession SessionForStart()
    {
        if (Volatile.Read(ref _session) is { } existing)
        {
            return existing;
        }
        var made = _createSession();
        if (Interlocked.CompareExchange(ref _session, made, null) is { } other)
        {
            // Another start made the call's session first; this one was never started.
            _ = made.DisposeAsync().AsTask();
            return other;
        }
        made.EventRaised += OnEvent;
        if (HasEnded)
        {
            made.Close(); // the call ended while this first start made the session (see StopForCallEndAsync)
        }
        return made;
    }

    private void AddOutcomes(IReadOnlyList<SrsOutcome> outcomes) => ImmutableInterlocked.Update(ref _outcomes, static (list, add) => list.AddRange(add), outcomes);

    private void OnEvent(RecordingEvent recordingEvent)
    {
        ImmutableInterlocked.Update(ref _events, static (list, e) => list.Add(e), recordingEvent);
        _reporter.Report(recordingEvent, Volatile.Read(ref _session));
    }

    // The recording's own Failed event raised since the start began (event index `since`); null when not yet raised.
    private RecordingEvent? LastRecordingFailure(int since) =>
        Events.Skip(since).LastOrDefault(e => e is { Kind: RecordingEventKind.Failed, SrsUri: null });
}
