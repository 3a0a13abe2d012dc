using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Gateway.Observability;
using Siprec.Recording;
using Siprec.Recording.Connectors;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// The one place a call's recordings are driven from (DESIGN §2: node, INFO, REST and TwiML/TeXML all end here). It holds
/// the call's SIPREC sessions (<see cref="CallRecording"/>: the node/INFO path one, REST and TwiML/TeXML several within the
/// stream budget), checks each request against their real state, runs it on the addressed <see cref="RecordingSession"/>
/// and says what happened as a §4.2 code and text. The adapters only translate; every state decision is made here.
/// </summary>
/// <remarks>
/// Issue 11, nothing blocks on a recorder: the controller holds no lock and no gate of its own. Its list of sessions is
/// immutable and replaced atomically (a start is claimed by one compare-and-swap that checks the budget and the node/INFO
/// duplicate rule); each session changes its state under its own group lock, never held across an await. So a stop or the
/// call's end never waits behind a pause whose re-INVITE a stalled SRS holds, and a pause, resume or stop arriving while its
/// session's start is in flight waits only for that start's decision (bounded by the no-answer window).
/// </remarks>
internal sealed partial class RecordingController : IAsyncDisposable
{
    /// <summary>Twilio's limit: four forked streams per call, a both-tracks session using two (DESIGN §4.4).</summary>
    public const int DefaultStreamBudget = 4;

    private readonly Func<SrsConnector?, RecordingSession> _createSession;
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly GatewayMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _operationTimeout;
    private readonly int _streamBudget;
    private readonly RecordingRequirement _requirement;
    private CallRecording[] _recordings = [];
    private ImmutableList<SrsOutcome> _outcomes = [];
    private ImmutableList<RecordingEvent> _events = [];
    private int _ended;

    /// <param name="createSession">Makes a new session of the call (one per start) for the start's connector (null: none named),
    /// whose edge chooses the SRC it leaves from.</param>
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
    /// <param name="streamBudget">Forked streams the call's sessions may use together (<see cref="GatewayOptions.StreamBudget"/>).</param>
    public RecordingController(Func<SrsConnector?, RecordingSession> createSession, string callSid, ILogger<RecordingController> logger,
                               RecordingResources? resources = null, GatewayMetrics? metrics = null, bool recordingRequired = false, Action? endCall = null,
                               TimeProvider? time = null, TimeSpan? operationTimeout = null, int streamBudget = DefaultStreamBudget)
    {
        _time = time ?? TimeProvider.System;
        _operationTimeout = operationTimeout ?? GatewayOptions.DefaultOperationTimeout;
        _streamBudget = streamBudget;
        _createSession = createSession;
        _callSid = callSid;
        _logger = logger;
        _metrics = metrics;
        Resources = resources ?? new RecordingResources(null, callSid, TimeProvider.System, null, null);
        _requirement = new RecordingRequirement(recordingRequired, endCall, callSid, logger, metrics);
    }

    /// <summary>The call's SIPREC sessions as resources; every start made through this controller is one.</summary>
    public RecordingResources Resources { get; }

    /// <summary>
    /// The state of the session the node/INFO path addresses (its own, else the only active one), else of the latest
    /// session; <see cref="RecordingState.Idle"/> before any start.
    /// </summary>
    public RecordingState State => (Addressed(null) ?? Latest)?.Session.State ?? RecordingState.Idle;

    /// <summary>Every SRS outcome of every start, stop, pause and resume so far, in order.</summary>
    public IReadOnlyList<SrsOutcome> Outcomes => Volatile.Read(ref _outcomes);

    /// <summary>Every recording event raised on the call so far, all sessions, in order.</summary>
    public IReadOnlyList<RecordingEvent> Events => Volatile.Read(ref _events);

    /// <summary>Per live recorder and stream of every session: packets sent and the recorder's own receiver report.</summary>
    public IReadOnlyList<RecorderStreamReport> StreamReports() => Recordings.SelectMany(r => r.Session.StreamReports()).ToList();

    /// <summary>Per live recorder and stream of session <paramref name="sid"/>; empty when it is unknown or has none.</summary>
    public IReadOnlyList<RecorderStreamReport> StreamReports(string sid) =>
        Recordings.FirstOrDefault(r => r.Sid == sid)?.Session.StreamReports() ?? [];

    /// <summary>Caller's RTP (label 1): forked to every session's recorders, dropped by a session that is not recording.</summary>
    public void OnCallerRtp(ReadOnlySpan<byte> packet)
    {
        foreach (var recording in Recordings)
            recording.Session.OnCallerRtp(packet);
    }

    /// <summary>Bot's RTP (label 2): forked to every session's recorders, dropped by a session that is not recording.</summary>
    public void OnBotRtp(ReadOnlySpan<byte> packet)
    {
        foreach (var recording in Recordings)
            recording.Session.OnBotRtp(packet);
    }

    /// <summary>Carries out one node/INFO request and answers it exactly once; never throws for a request that is invalid in the current state.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call is ending).</exception>
    public Task<RecordingCommandResult> ExecuteAsync(RecordingControlRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(request, RecordingRequestOptions.None, cancellationToken);

    /// <summary>
    /// Carries out one request (a start with its name, callbacks and connector; a stop, pause or resume of the session
    /// <see cref="RecordingRequestOptions.Target"/> names) and answers it exactly once; the result carries the session
    /// resource it made or changed.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call is ending).</exception>
    public Task<RecordingCommandResult> ExecuteAsync(RecordingControlRequest request, RecordingRequestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var progress = new RecorderProgress();
        var claimed = new StrongBox<CallRecording?>();
        var work = request.Action switch
        {
            RecordingAction.Start => StartAsync(request, options, claimed, cancellationToken),
            RecordingAction.Stop => OperateAsync(StopCoreAsync, request.Action, options, progress, claimed, cancellationToken),
            RecordingAction.Pause => OperateAsync(PauseCoreAsync, request.Action, options, progress, claimed, cancellationToken),
            RecordingAction.Resume => OperateAsync(ResumeCoreAsync, request.Action, options, progress, claimed, cancellationToken),
            _ => Task.FromResult(new RecordingCommandResult(400, RecordingErrorTexts.UnknownReason(request.Action.ToString()))),
        };
        return BoundedAsync(work, request.Action, progress, claimed, cancellationToken);
    }

    /// <summary>
    /// Call end (DESIGN §4.3 "call end stops recording the same way"): refuses every later request, then stops every session
    /// that is recording or starting at once (a start in flight is cancelled; nothing waits for another operation). Never
    /// throws; failures are logged.
    /// </summary>
    public async Task StopForCallEndAsync(CancellationToken cancellationToken)
    {
        using var scope = LogScope.ForCall(_logger, _callSid);
        // Set before the sessions are read, as a start adds its session before reading this flag: one of the two sees the
        // other, so no start opens recording dialogs for a call that is gone.
        Interlocked.Exchange(ref _ended, 1);
        try
        {
            var stopping = new List<Task<RecordingOperationResult>>();
            foreach (var recording in Recordings)
            {
                recording.Require(false);
                recording.Session.Close();
                if (recording.Session.State is RecordingState.Recording or RecordingState.Paused or RecordingState.Starting)
                    stopping.Add(recording.Session.StopAsync(cancellationToken));
            }
            if (stopping.Count > 0)
            {
                Log.StoppingForCallEnd(_logger, stopping.Count);
                foreach (var result in await Task.WhenAll(stopping).ConfigureAwait(false))
                    AddOutcomes(result.Outcomes);
            }
        }
        catch (Exception ex)
        {
            Log.StopForCallEndFailed(_logger, ex);
        }
        // The call is over whether or not the recorders confirmed: no session of it is active any more.
        Resources.EndAll();
    }

    /// <summary>Disposes the call's sessions (the SRC forgets their dialogs); their last events are no longer reported.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _ended, 2);
        foreach (var recording in Recordings)
        {
            recording.Session.Close();
            await recording.Session.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Replaced whole, never changed in place: a reader iterates a consistent snapshot without a lock.
    private CallRecording[] Recordings => Volatile.Read(ref _recordings);

    private bool HasEnded => Volatile.Read(ref _ended) != 0;

    private CallRecording? Latest => Recordings.LastOrDefault();

    // The session a stop, pause or resume addresses: the one named (SID, else the latest with the name); without a name the
    // node/INFO rule: its own active session, else the only active session of the call.
    private CallRecording? Addressed(string? target)
    {
        var recordings = Recordings;
        if (target is not null)
            return recordings.FirstOrDefault(r => r.Sid == target) ?? recordings.LastOrDefault(r => r.Is(target));
        var active = recordings.Where(r => r.IsActive).ToList();
        return active.LastOrDefault(r => r.Origin == RecordingOrigin.Info) ?? (active.Count == 1 ? active[0] : null);
    }

    private void AddOutcomes(IReadOnlyList<SrsOutcome> outcomes) => ImmutableInterlocked.Update(ref _outcomes, static (list, add) => list.AddRange(add), outcomes);

    private void OnEvent(CallRecording recording, RecordingEventReporter reporter, RecordingEvent recordingEvent)
    {
        if (Volatile.Read(ref _ended) == 2)
            return; // disposing: the stop of a disposal is not news
        recording.Add(recordingEvent);
        ImmutableInterlocked.Update(ref _events, static (list, e) => list.Add(e), recordingEvent);
        reporter.Report(recordingEvent, recording.Session);
    }
}
