using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The one place a call's recording is driven from (DESIGN §2: node, INFO and REST all end here). It checks the
/// request against the recording's real state, runs it on the <see cref="RecordingSession"/> and says what
/// happened as a §4.2 code and text. Operations run one at a time; a duplicate start is refused at once,
/// even while an earlier start is still waiting for its SRSs.
/// </summary>
internal sealed class RecordingController : IAsyncDisposable
{
    private readonly Func<RecordingSession> _createSession;
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<SrsOutcome> _outcomes = [];
    private readonly List<RecordingEvent> _events = [];
    private RecordingSession? _session;
    private bool _starting;
    private bool _ended;

    /// <param name="createSession">Makes the call's session; called once, at the first start.</param>
    /// <param name="callSid">The call's SID, the scope of every log line.</param>
    /// <param name="logger">Logger.</param>
    public RecordingController(Func<RecordingSession> createSession, string callSid, ILogger<RecordingController> logger)
    {
        _createSession = createSession;
        _callSid = callSid;
        _logger = logger;
    }

    /// <summary>The current session's state; <see cref="RecordingState.Starting"/> while a start is in flight, Idle before any.</summary>
    public RecordingState State
    {
        get
        {
            lock (_sync)
            {
                return _starting ? RecordingState.Starting : _session?.State ?? RecordingState.Idle;
            }
        }
    }

    /// <summary>Every SRS outcome of every start, stop, pause and resume so far, in order.</summary>
    public IReadOnlyList<SrsOutcome> Outcomes
    {
        get { lock (_sync) return _outcomes.ToList(); }
    }

    /// <summary>Every recording event raised on the call so far, in order.</summary>
    public IReadOnlyList<RecordingEvent> Events
    {
        get { lock (_sync) return _events.ToList(); }
    }

    /// <summary>Caller's RTP (label 1): forked to the recorders when recording, dropped otherwise.</summary>
    public void OnCallerRtp(ReadOnlySpan<byte> packet) => Volatile.Read(ref _session)?.OnCallerRtp(packet);

    /// <summary>Bot's RTP (label 2): forked to the recorders when recording, dropped otherwise.</summary>
    public void OnBotRtp(ReadOnlySpan<byte> packet) => Volatile.Read(ref _session)?.OnBotRtp(packet);

    /// <summary>Carries out one request and answers it exactly once; never throws for a request that is invalid in the current state.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call is ending).</exception>
    public Task<RecordingCommandResult> ExecuteAsync(RecordingControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Action switch
        {
            RecordingAction.Start => StartAsync(request, cancellationToken),
            RecordingAction.Stop => ExclusiveAsync(StopCoreAsync, cancellationToken),
            RecordingAction.Pause => ExclusiveAsync(PauseCoreAsync, cancellationToken),
            RecordingAction.Resume => ExclusiveAsync(ResumeCoreAsync, cancellationToken),
            _ => Task.FromResult(new RecordingCommandResult(400, RecordingErrorTexts.UnknownReason(request.Action.ToString()))),
        };
    }

    /// <summary>
    /// Call end (DESIGN §4.3 "call end stops recording the same way"): stops whatever is recording, then refuses
    /// every later request. Never throws; failures are logged.
    /// </summary>
    public async Task StopForCallEndAsync(CancellationToken cancellationToken)
    {
        using var scope = LogScope.ForCall(_logger, _callSid);
        lock (_sync)
        {
            _ended = true;
        }
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var session = _session;
                if (session is { State: RecordingState.Recording or RecordingState.Paused or RecordingState.Starting })
                {
                    Log.StoppingForCallEnd(_logger, 1);
                    var result = await session.StopAsync(cancellationToken).ConfigureAwait(false);
                    AddOutcomes(result.Outcomes);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception ex)
        {
            Log.StopForCallEndFailed(_logger, ex);
        }
    }

    /// <summary>Disposes the call's session (the SRC forgets its dialogs).</summary>
    public async ValueTask DisposeAsync()
    {
        RecordingSession? session;
        lock (_sync)
        {
            _ended = true;
            session = _session;
        }
        if (session is not null)
        {
            session.EventRaised -= OnEvent;
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RecordingCommandResult> StartAsync(RecordingControlRequest request, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_ended)
            {
                return new RecordingCommandResult(500, GatewayTexts.CallEnded);
            }
            if (_starting || _session?.State is RecordingState.Starting or RecordingState.Recording or RecordingState.Paused)
            {
                return new RecordingCommandResult(400, RecordingErrorTexts.DuplicateStart);
            }
            _starting = true;
        }
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var session = SessionForStart();
                var result = await session.StartAsync(request, cancellationToken).ConfigureAwait(false);
                AddOutcomes(result.Outcomes);
                if (result.Started)
                {
                    var failed = GatewayTexts.Failures(result.Outcomes).ToList();
                    return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.StartedWithFailures(failed));
                }
                if (result.TimedOut)
                {
                    return new RecordingCommandResult(400, RecordingErrorTexts.NoResponse);
                }
                return new RecordingCommandResult(503, RecordingErrorTexts.StartFailed(result.Outcomes.Select(o => (o.SrsUri, o.Detail))));
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            lock (_sync)
            {
                _starting = false;
            }
        }
    }

    private async Task<RecordingCommandResult> StopCoreAsync(CancellationToken cancellationToken)
    {
        var session = _session;
        if (session is not { State: RecordingState.Recording or RecordingState.Paused })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.StopWhileNotRecording);
        }
        var result = await session.StopAsync(cancellationToken).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        var failed = GatewayTexts.Failures(result.Outcomes).ToList();
        return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.OperationWithFailures(RecordingActionNames.Stop, failed));
    }

    private async Task<RecordingCommandResult> PauseCoreAsync(CancellationToken cancellationToken)
    {
        var session = _session;
        if (session is not { State: RecordingState.Recording })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.InvalidPause);
        }
        var result = await session.PauseAsync(cancellationToken).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        return Judge(session, result, RecordingState.Paused, RecordingState.Recording, RecordingErrorTexts.InvalidPause, RecordingActionNames.Pause);
    }

    private async Task<RecordingCommandResult> ResumeCoreAsync(CancellationToken cancellationToken)
    {
        var session = _session;
        if (session is not { State: RecordingState.Paused })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.InvalidResume);
        }
        var result = await session.ResumeAsync(cancellationToken).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        return Judge(session, result, RecordingState.Recording, RecordingState.Paused, RecordingErrorTexts.InvalidResume, RecordingActionNames.Resume);
    }

    // The session's state after the operation is the truth: reached -> 200 (naming recorders that did not confirm);
    // the state no longer allows the operation (e.g. every SRS hung up meanwhile) -> the §4.2 "invalid" 400; else 500.
    private static RecordingCommandResult Judge(RecordingSession session, RecordingOperationResult result, RecordingState wanted,
                                                RecordingState from, string invalidText, string action)
    {
        var state = session.State;
        if (state == wanted)
        {
            var failed = GatewayTexts.Failures(result.Outcomes).ToList();
            return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.OperationWithFailures(action, failed));
        }
        if (state != from)
        {
            return new RecordingCommandResult(400, invalidText);
        }
        return new RecordingCommandResult(500, GatewayTexts.OperationFailed(action, result.Outcomes));
    }

    private async Task<RecordingCommandResult> ExclusiveAsync(Func<CancellationToken, Task<RecordingCommandResult>> operation, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_ended)
            {
                return new RecordingCommandResult(500, GatewayTexts.CallEnded);
            }
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // One session per call, made at the first start: it starts again from Idle, Stopped or Failed, so a retry after
    // a failed start is a new start, never a "duplicate", and late SRS answers still reach their dialogs.
    private RecordingSession SessionForStart()
    {
        lock (_sync)
        {
            if (_session is null)
            {
                var session = _createSession();
                session.EventRaised += OnEvent;
                Volatile.Write(ref _session, session);
            }
            return _session;
        }
    }

    private void AddOutcomes(IReadOnlyList<SrsOutcome> outcomes)
    {
        lock (_sync)
        {
            _outcomes.AddRange(outcomes);
        }
    }

    private void OnEvent(RecordingEvent recordingEvent)
    {
        lock (_sync)
        {
            _events.Add(recordingEvent);
        }
        using (LogScope.ForCall(_logger, _callSid))
        {
            Log.RecordingEventRaised(_logger, recordingEvent.Kind.ToString(), recordingEvent.SrsUri, recordingEvent.Reason);
        }
    }
}
