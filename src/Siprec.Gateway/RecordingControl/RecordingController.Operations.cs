using System.Runtime.CompilerServices;
using Siprec.Control;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>Start, stop, pause and resume of the call's sessions, each answered within the operation bound.</summary>
internal sealed partial class RecordingController
{
    /// <summary>
    /// Issue 11, nothing blocks on a recorder: the caller (REST, INFO) gets an answer within the operation bound (a start,
    /// which has its own no-answer window, within twice the bound). A pause, resume or stop that some recorders confirmed
    /// by then is answered 200 naming the recorders still pending (a pause and a stop hold at once: media stops before any
    /// re-INVITE or BYE); when none confirmed, 504 names the action and the recorders still pending. The work goes on and
    /// its result reaches the resource, the events and the callbacks when it completes.
    /// </summary>
    private async Task<RecordingCommandResult> BoundedAsync(Task<RecordingCommandResult> work, RecordingAction action, RecorderProgress progress,
        StrongBox<CallRecording?> claimed, CancellationToken cancellationToken)
    {
        if (work.IsCompleted) return await work.ConfigureAwait(false);
        var bound = action == RecordingAction.Start ? _operationTimeout * 2 : _operationTimeout;
        // The bound's timer is not tied to the call: when the call ends the work sees the same token and settles, and its
        // own answer is the truthful one (a required recording that could not start ends the call before its 503 is
        // returned); only work still running at the bound is abandoned.
        using var timer = new CancellationTokenSource();
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
        if (action != RecordingAction.Start && progress.Confirmed.Count > 0 && claimed.Value is { } recording)
        {
            var partly = GatewayTexts.OperationPartlyConfirmed(name, bound, progress.Confirmed, progress.Pending, GatewayTexts.Failures(progress.Answered));
            Log.OperationPending(_logger, partly);
            return new RecordingCommandResult(200, partly) { Resource = ResourceAfter(action, recording) };
        }
        var pending = action == RecordingAction.Start
            ? claimed.Value?.Session.Outcomes.Where(o => o.Kind == SrsOutcomeKind.Pending).Select(o => o.SrsUri).ToList() ?? []
            : progress.Pending;
        var text = GatewayTexts.OperationPending(name, bound, pending);
        Log.OperationPending(_logger, text);
        return new RecordingCommandResult(504, text);
    }

    // The resource as a confirmed pause, resume or stop leaves it (its own completion later finds it so already).
    private RecordingResource? ResourceAfter(RecordingAction action, CallRecording recording) => action switch
    {
        RecordingAction.Pause => Resources.SetStatus(recording.Sid, RestRecordingStatus.Paused),
        RecordingAction.Resume => Resources.SetStatus(recording.Sid, RestRecordingStatus.InProgress),
        _ => Resources.End(recording.Sid),
    };

    private async Task<RecordingCommandResult> StartAsync(RecordingControlRequest request, RecordingRequestOptions options, StrongBox<CallRecording?> claimed,
        CancellationToken cancellationToken)
    {
        if (HasEnded)
        {
            return new RecordingCommandResult(500, GatewayTexts.CallEnded);
        }
        if (options.Name is { } name && Resources.All.Any(r => r.Name == name))
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.InvalidField("Name", name, "already names another SIPREC session of this call"));
        }
        var pending = Resources.Begin(request, options);
        var session = _createSession(options.Connector);
        var recording = new CallRecording(session, pending.Sid, options.Name, options.Origin, request.Track);
        if (Claim(recording) is { } refused)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            return refused;
        }
        claimed.Value = recording;
        var reporter = new RecordingEventReporter(_callSid, recording.Sid, _logger, Resources, _metrics, _requirement, () => recording.IsRequired);
        session.EventRaised += e => OnEvent(recording, reporter, e);
        if (HasEnded)
        {
            session.Close(); // the call ended while this start claimed its place (see StopForCallEndAsync)
        }

        using var scope = LogScope.ForRecording(_logger, pending.Sid);
        var began = Resources.Time.GetTimestamp();
        var required = _requirement.IsRequired(request, options.Connector);
        RecordingStartResult result;
        try
        {
            result = await session.StartAsync(request, RecordingAnswers.StartOptionsFor(options), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (session.IsClosed)
        {
            recording.StartFailed();
            var ended = new RecordingCommandResult(500, GatewayTexts.CallEnded);
            return ended with { Resource = Resources.StartFailed(pending, ended.StatusCode, ended.Text) };
        }
        catch
        {
            recording.StartFailed();
            throw;
        }
        AddOutcomes(result.Outcomes);
        RecordingCommandResult answer;
        if (result.Started)
        {
            // Armed before the resource is listed: a recording failure reported from now on sees the policy.
            recording.Require(required);
            answer = RecordingAnswers.Started(result) with { Resource = Resources.Started(pending, session.Outcomes) };
            if (session.State == RecordingState.Failed && recording.Events.LastOrDefault(e => e is { Kind: RecordingEventKind.Failed, SrsUri: null }) is { } lost)
            {
                // Every recorder died between the start's answer and its resource: end the resource as failed.
                reporter.RecordingFailed(lost);
            }
        }
        else
        {
            recording.StartFailed();
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

    // One compare-and-swap adds the session when it fits: the node/INFO path's one recording per call (DESIGN §4.2) and the
    // call's stream budget, both judged on the same snapshot, so two concurrent starts cannot both take the last place.
    private RecordingCommandResult? Claim(CallRecording recording)
    {
        while (true)
        {
            var current = Recordings;
            var active = current.Where(r => r.IsActive).ToList();
            if (recording.Origin == RecordingOrigin.Info && active.Any(r => r.Origin == RecordingOrigin.Info))
            {
                return new RecordingCommandResult(400, RecordingErrorTexts.DuplicateStart);
            }
            var inUse = active.Sum(r => r.Streams);
            if (inUse + recording.Streams > _streamBudget)
            {
                return new RecordingCommandResult(400, GatewayTexts.StreamBudgetExceeded(_streamBudget, inUse, recording.Streams))
                {
                    RestErrorCode = RestErrorCodes.StreamLimitExceeded,
                };
            }
            if (ReferenceEquals(Interlocked.CompareExchange(ref _recordings, [.. current, recording], current), current))
            {
                return null;
            }
        }
    }

    // A stop, pause or resume: refused once the call ended; a named session that is not active is a no-op stop or the §4.2
    // "invalid" pause/resume; while the session's start is in flight, it runs on what the start decides (waiting at most the
    // start's no-answer window; the caller's own answer is bounded by BoundedAsync).
    private async Task<RecordingCommandResult> OperateAsync(Func<CallRecording?, RecorderProgress, CancellationToken, Task<RecordingCommandResult>> operation,
        RecordingAction action, RecordingRequestOptions options, RecorderProgress progress, StrongBox<CallRecording?> claimed, CancellationToken cancellationToken)
    {
        if (HasEnded)
        {
            return new RecordingCommandResult(500, GatewayTexts.CallEnded);
        }
        var recording = Addressed(options.Target);
        if (options.Target is { } target)
        {
            if (recording is null)
            {
                return new RecordingCommandResult(404, RecordingErrorTexts.ResourceNotFound);
            }
            if (!recording.IsActive && Resources.Find(recording.Sid) is { } done)
            {
                // Twilio: stopping a stopped session again changes nothing; pausing or resuming it is invalid.
                return action == RecordingAction.Stop ? new RecordingCommandResult(200, null) { Resource = done } : await operation(null, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        claimed.Value = recording;
        if (recording is not null)
        {
            await recording.Session.StartSettled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        return await operation(recording, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RecordingCommandResult> StopCoreAsync(CallRecording? recording, RecorderProgress progress, CancellationToken cancellationToken)
    {
        if (recording is not { Session.State: RecordingState.Recording or RecordingState.Paused })
        {
            return new RecordingCommandResult(400, RecordingErrorTexts.StopWhileNotRecording);
        }
        recording.Require(false);
        var result = await recording.Session.StopAsync(cancellationToken, progress).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        if (!result.Succeeded)
        {
            // Another stop, or the recording's failure, ended it meanwhile.
            return new RecordingCommandResult(400, RecordingErrorTexts.StopWhileNotRecording);
        }
        var failed = GatewayTexts.Failures(result.Outcomes).ToList();
        return new RecordingCommandResult(200, failed.Count == 0 ? null : GatewayTexts.OperationWithFailures(RecordingActionNames.Stop, failed))
        {
            Resource = Resources.End(recording.Sid) ?? Resources.Find(recording.Sid),
        };
    }

    private Task<RecordingCommandResult> PauseCoreAsync(CallRecording? recording, RecorderProgress progress, CancellationToken cancellationToken) =>
        ChangeDirectionAsync(recording, pause: true, progress, cancellationToken);

    private Task<RecordingCommandResult> ResumeCoreAsync(CallRecording? recording, RecorderProgress progress, CancellationToken cancellationToken) =>
        ChangeDirectionAsync(recording, pause: false, progress, cancellationToken);

    // A pause (Recording → Paused) or a resume (Paused → Recording), judged on what it reached (RecordingAnswers.Judge).
    private async Task<RecordingCommandResult> ChangeDirectionAsync(CallRecording? recording, bool pause, RecorderProgress progress, CancellationToken cancellationToken)
    {
        var (from, wanted) = pause ? (RecordingState.Recording, RecordingState.Paused) : (RecordingState.Paused, RecordingState.Recording);
        var invalid = pause ? RecordingErrorTexts.InvalidPause : RecordingErrorTexts.InvalidResume;
        if (recording is null || recording.Session.State != from)
        {
            return new RecordingCommandResult(400, invalid);
        }
        var result = pause
            ? await recording.Session.PauseAsync(cancellationToken, progress).ConfigureAwait(false)
            : await recording.Session.ResumeAsync(cancellationToken, progress).ConfigureAwait(false);
        AddOutcomes(result.Outcomes);
        var judged = RecordingAnswers.Judge(recording.Session.State, result, wanted, from, invalid, pause ? RecordingActionNames.Pause : RecordingActionNames.Resume);
        return Track(recording, judged, pause ? RestRecordingStatus.Paused : RestRecordingStatus.InProgress);
    }

    private RecordingCommandResult Track(CallRecording recording, RecordingCommandResult result, string statusWhenDone) => result with
    {
        Resource = (result.IsSuccess ? Resources.SetStatus(recording.Sid, statusWhenDone) : null) ?? Resources.Find(recording.Sid),
    };
}
