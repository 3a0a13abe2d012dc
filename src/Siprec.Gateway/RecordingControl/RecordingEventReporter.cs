using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Gateway.Observability;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// Turns one SIPREC session's recording events into what the operator sees (DESIGN "No silent loss"): a log line in the CallSid and
/// SiprecSid scopes, the <c>siprec.gateway.recorder.failures</c> metric, the REST resource and its recorders, and the
/// <c>siprec-error</c> status callback. A recorder lost while others record is a <c>siprec-error</c> naming it, the session
/// staying <c>in-progress</c>; the last one lost ends the session <c>stopped</c> with its <c>error_code</c>, one callback.
/// When that recording was required (<see cref="RecordingRequirement"/>), the last loss also ends the call: the session's
/// code is then 503 and its text names the policy. The signal is the recording's own <c>Failed</c> event with the session
/// in <see cref="RecordingState.Failed"/>: a recorder failed over to a standby never gets there.
/// A failover (issue 11) lists each standby tried after the session's recorders (<c>replaces</c>, then <c>gap_ms</c> once
/// it accepted) and logs the gap; while it runs the session stays <c>in-progress</c>, and it ends <c>stopped</c> with the
/// failed recorder's code only when no standby accepted.
/// </summary>
internal sealed class RecordingEventReporter
{
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly RecordingResources _resources;
    private readonly GatewayMetrics? _metrics;
    private readonly RecordingRequirement? _requirement;
    private readonly string _sid;
    private readonly Func<bool> _isRequired;

    /// <param name="callSid">The call's SID (log scope).</param>
    /// <param name="sid">The SIPREC session's SID: the resource its events change (not listed until its start succeeded).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="resources">The call's SIPREC session resources.</param>
    /// <param name="metrics">Instruments; null counts nothing.</param>
    /// <param name="requirement">The call's recording-required policy; null: a failed recording never ends the call.</param>
    /// <param name="isRequired">Whether this session is required right now (armed once its start succeeded, off after a stop).</param>
    public RecordingEventReporter(string callSid, string sid, ILogger logger, RecordingResources resources, GatewayMetrics? metrics,
                                  RecordingRequirement? requirement, Func<bool> isRequired)
    {
        _callSid = callSid;
        _sid = sid;
        _logger = logger;
        _resources = resources;
        _metrics = metrics;
        _requirement = requirement;
        _isRequired = isRequired;
    }

    /// <summary>Reports one event of <paramref name="session"/> (read after the event, so its state says whether the recording failed).</summary>
    public void Report(RecordingEvent recordingEvent, RecordingSession? session)
    {
        using var callScope = LogScope.ForCall(_logger, _callSid);
        using var recordingScope = LogScope.ForRecording(_logger, _sid);
        var recordingFailed = session?.State == RecordingState.Failed;
        if (recordingEvent.SrsUri is not { } srsUri)
        {
            if (recordingEvent is { Kind: RecordingEventKind.Failed } && recordingFailed && _resources.ActiveSession(_sid) is not null)
                RecordingFailed(recordingEvent);
            else
                Log.RecordingEventRaised(_logger, recordingEvent.Kind.ToString(), recordingEvent.Reason ?? "no detail");
            return;
        }

        if (recordingEvent.Failure is { } failure)
        {
            Log.RecorderFailed(_logger, srsUri, GatewayMetrics.ReasonTag(failure.Cause), failure.ErrorCode, failure.Detail);
            _metrics?.RecorderFailed(failure);
            // The last recorder: the recording's own Failed event follows and ends the session with one siprec-error.
            _resources.RecorderFailed(_sid, srsUri, failure.ErrorCode, RecordingErrorTexts.Printable(failure.Detail), report: !recordingFailed,
                failingOver: recordingEvent.FailoverPending);
            return;
        }

        if (recordingEvent is { Kind: RecordingEventKind.FailingOver, Replaces: { } failed })
        {
            Log.FailingOver(_logger, failed, srsUri);
            _resources.StandbyTried(_sid, srsUri, failed);
            return;
        }

        if (recordingEvent is { Kind: RecordingEventKind.FailedOver, Replaces: { } replaced, Gap: { } gap })
        {
            Log.FailedOver(_logger, replaced, srsUri, gap.AudioNotDeliveredMs, Siprec.Recording.Metadata.RecordingMetadata.FormatTime(gap.Start),
                Siprec.Recording.Metadata.RecordingMetadata.FormatTime(gap.End));
            _resources.StandbyActive(_sid, srsUri, gap.AudioNotDeliveredMs);
            _metrics?.FailedOver(gap);
            return;
        }

        Log.RecorderEventRaised(_logger, recordingEvent.Kind.ToString(), srsUri, recordingEvent.Reason ?? "no detail");
        if (recordingEvent.Kind == RecordingEventKind.Started)
        {
            _resources.RecorderStarted(_sid, srsUri);
        }
        else if (recordingEvent.Kind == RecordingEventKind.Failed)
        {
            // Refused after the start had succeeded on another recorder: not a loss, no callback.
            var code = session?.Outcomes.LastOrDefault(o => o.SrsUri == srsUri)?.StatusCode ?? 503;
            _resources.RecorderFailed(_sid, srsUri, code, RecordingErrorTexts.Printable(recordingEvent.Reason ?? "refused"), report: false);
        }
    }

    /// <summary>
    /// Ends this session as failed: every recorder is gone. <c>error_code</c> is the code of the last recorder's
    /// failure (503 when the SRS sent none, or when the event carries none). When the recording was required, the code is
    /// 503 (the cause of the BYE), the text adds <see cref="RecordingRequirement.CallEndingText"/>, and the call is ended.
    /// </summary>
    public void RecordingFailed(RecordingEvent recordingEvent)
    {
        var reason = recordingEvent.Reason ?? "every recorder has ended";
        var code = recordingEvent.Failure?.ErrorCode ?? 503;
        Log.RecordingFailed(_logger, code, reason);
        if (_requirement is { } requirement && _isRequired())
        {
            _resources.End(_sid, RecordingRequirement.Cause, RecordingErrorTexts.Printable(reason + "; " + RecordingRequirement.CallEndingText));
            requirement.EndCall(_sid, RecordingRequirement.MidCall, reason);
            return;
        }
        _resources.End(_sid, code, RecordingErrorTexts.Printable(reason));
    }
}
