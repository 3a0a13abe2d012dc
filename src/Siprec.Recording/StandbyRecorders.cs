using Microsoft.Extensions.Logging;
using Siprec.Recording.Dialogs;
using Siprec.Recording.Metadata;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transport;

namespace Siprec.Recording;

/// <summary>
/// The session's side of <see cref="RecorderFailover"/>: standby dialogs join the recording's dialogs (so a stop cancels or
/// ends them, and pause, resume and metadata updates reach them) in its current direction (DESIGN §4.3: a paused recording
/// fails over paused, <c>a=inactive</c>, and sends the standby nothing until resumed), with the same metadata (RFC 7865 §6
/// IDs), streams and labels; the recording fails only when no recorder is left and no failover runs.
/// </summary>
/// <remarks>
/// Works on the state of its <see cref="RecordingSession"/> under the session's <see cref="RecordingSession.GroupLock"/>; it
/// holds no state of its own.
/// </remarks>
internal sealed class StandbyRecorders
{
    private readonly RecordingSession _session;
    private readonly RecorderDialogFactory _dialogs;
    private readonly SiprecClient _client;
    private readonly ILogger _logger;
    private readonly string _callId;

    /// <param name="session">The recording whose recorders these are.</param>
    /// <param name="dialogs">Opens the standby dialogs, like the start's.</param>
    /// <param name="client">The SRC: clock, no-answer window.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="callId">The recorded call's Call-ID (log lines).</param>
    public StandbyRecorders(RecordingSession session, RecorderDialogFactory dialogs, SiprecClient client, ILogger logger, string callId)
    {
        _session = session;
        _dialogs = dialogs;
        _client = client;
        _logger = logger;
        _callId = callId;
    }

    /// <summary>The failover of one start's recorders (<paramref name="generation"/>), to the SRV targets and the standby <paramref name="pool"/>.</summary>
    public RecorderFailover NewFailover(List<RecordingDialog> generation, RecordingMetadata metadata, DialogSettings settings, IReadOnlyList<string> pool)
    {
        var host = new FailoverHost(
            (uri, targets) => OpenStandby(generation, metadata, settings, uri, targets),
            dialog => AdmitStandby(generation, dialog),
            e => _session.Raise([e]),
            _session.PausedTotal,
            (run, tried) => OnFailoverExhausted(generation, run, tried));
        return new RecorderFailover(pool, host, _client.Time, _client.Options.NoAnswerTimeout, _logger, _callId, _session.GroupLock);
    }

    // "No silent loss" (DESIGN): the recording is Recording or Paused only while a recorder is known alive, i.e. established,
    // or a failover to a standby is under way (bounded: NoAnswerTimeout per standby); an INVITE of the start still pending
    // does not count (if it is accepted after the recording failed, it is sent BYE).
    /// <summary>A recorder ended without our asking (its <see cref="RecordingDialog.RemoteEnded"/>): fail over, or fail the recording.</summary>
    public void OnRemoteEnded(RecordingDialog dialog, RecorderFailure failure)
    {
        RecorderFailover.Run? failover = null;
        var events = new List<RecordingEvent>();
        lock (_session.GroupLock)
        {
            RecordingSession.RemoveStreams(dialog);
            var dialogs = _session.DialogsUnderLock;
            var failoverOf = _session.FailoverUnderLock;
            if (_session.StateUnderLock is RecordingState.Recording or RecordingState.Paused && dialogs.Contains(dialog))
                // The gap starts when the recorder was last known to receive (an ICMP streak's start, the last RTCP), else now.
                failover = failoverOf?.TryBegin(dialog, failure, failure.LostSince ?? _client.Time.GetUtcNow());
            events.Add(_session.NewEvent(RecordingEventKind.Failed, dialog.SrsUri, failure.Detail) with { Failure = failure, FailoverPending = failover is not null });
            var anyLeft = dialogs.Any(d => d.Status == RecorderStatus.Established) || failoverOf?.ActiveRuns > 0;
            if (!anyLeft && _session.StateUnderLock is RecordingState.Recording or RecordingState.Paused)
            {
                _session.StateUnderLock = RecordingState.Failed;
                events.Add(_session.NewEvent(RecordingEventKind.Failed, null, $"every recorder has ended; last: {dialog.SrsUri}: {failure.Detail}") with { Failure = failure });
            }
        }

        _session.Raise(events);
        failover?.Go();
        _ = dialog.DisposeAsync().AsTask();
    }

    private StandbyOpening OpenStandby(List<RecordingDialog> generation, RecordingMetadata metadata, DialogSettings settings, string uri,
        IReadOnlyList<SipTarget>? targets)
    {
        lock (_session.GroupLock)
        {
            var dialogs = _session.DialogsUnderLock;
            var state = _session.StateUnderLock;
            if (!ReferenceEquals(dialogs, generation) || state is not (RecordingState.Recording or RecordingState.Paused))
                return new StandbyOpening(null, Stopped: true);
            if (targets is null && dialogs.Any(d => d.Status != RecorderStatus.Ended && string.Equals(d.SrsUri, uri, StringComparison.OrdinalIgnoreCase)))
                return new StandbyOpening(null, Stopped: false);
            var dialog = _dialogs.Create(uri, metadata, settings, targets);
            dialog.OfferDirection(state == RecordingState.Paused ? SdpDirection.Inactive : SdpDirection.SendOnly);
            dialogs.Add(dialog);
            return new StandbyOpening(dialog, Stopped: false);
        }
    }

    // Runs on the standby's INVITE task before its ACK, like the start's admission. A pause or resume that came while its
    // INVITE was out is caught up with a re-INVITE; media flows only when both the recording and the agreed direction say so.
    private bool AdmitStandby(List<RecordingDialog> generation, RecordingDialog dialog)
    {
        bool pauseIt, resumeIt;
        lock (_session.GroupLock)
        {
            var state = _session.StateUnderLock;
            if (!ReferenceEquals(_session.DialogsUnderLock, generation) || state is not (RecordingState.Recording or RecordingState.Paused))
                return false;
            var paused = state == RecordingState.Paused;
            var offeredInactive = dialog.NegotiatedDirection == SdpDirection.Inactive;
            dialog.SetMediaPaused(paused || offeredInactive);
            RecordingSession.AddStreams(dialog);
            pauseIt = paused && !offeredInactive;
            resumeIt = !paused && offeredInactive;
        }

        dialog.StartLiveness();
        if (pauseIt)
            _ = _session.PauseLateJoinerAsync(dialog);
        if (resumeIt)
            _ = ResumeLateJoinerAsync(dialog);
        return true;
    }

    private async Task ResumeLateJoinerAsync(RecordingDialog dialog)
    {
        var outcome = await _session.ResumeOneAsync(dialog, CancellationToken.None).ConfigureAwait(false);
        _session.Raise([_session.NewEvent(RecordingEventKind.Resumed, dialog.SrsUri, outcome.Detail)]);
    }

    private void OnFailoverExhausted(List<RecordingDialog> generation, RecorderFailover.Run run, string tried)
    {
        RecordingEvent? failed = null;
        lock (_session.GroupLock)
        {
            var dialogs = _session.DialogsUnderLock;
            if (ReferenceEquals(dialogs, generation) && _session.StateUnderLock is RecordingState.Recording or RecordingState.Paused
                && !dialogs.Any(d => d.Status == RecorderStatus.Established) && _session.FailoverUnderLock?.ActiveRuns is not > 0)
            {
                _session.StateUnderLock = RecordingState.Failed;
                failed = _session.NewEvent(RecordingEventKind.Failed, null,
                    $"every recorder has ended; last: {run.Failed.SrsUri}: {run.Failure.Detail}; no standby accepted: {tried}") with { Failure = run.Failure };
            }
        }

        if (failed is not null)
            _session.Raise([failed]);
    }
}
