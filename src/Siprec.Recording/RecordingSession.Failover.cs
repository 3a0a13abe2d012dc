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
public sealed partial class RecordingSession
{
    private RecorderFailover NewFailover(List<RecordingDialog> generation, RecordingMetadata metadata, DialogSettings settings, IReadOnlyList<string> pool)
    {
        var host = new FailoverHost(
            (uri, targets) => OpenStandby(generation, metadata, settings, uri, targets),
            dialog => AdmitStandby(generation, dialog),
            e => Raise([e]),
            PausedTotal,
            (run, tried) => OnFailoverExhausted(generation, run, tried));
        return new RecorderFailover(pool, host, _client.Time, _client.Options.NoAnswerTimeout, _logger, _call.CallId, _gate);
    }

    private StandbyOpening OpenStandby(List<RecordingDialog> generation, RecordingMetadata metadata, DialogSettings settings, string uri,
        IReadOnlyList<SipTarget>? targets)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_dialogs, generation) || _state is not (RecordingState.Recording or RecordingState.Paused))
                return new StandbyOpening(null, Stopped: true);
            if (targets is null && _dialogs.Any(d => d.Status != RecorderStatus.Ended && string.Equals(d.SrsUri, uri, StringComparison.OrdinalIgnoreCase)))
                return new StandbyOpening(null, Stopped: false);
            var dialog = CreateDialog(uri, metadata, settings, targets);
            dialog.OfferDirection(_state == RecordingState.Paused ? SdpDirection.Inactive : SdpDirection.SendOnly);
            _dialogs.Add(dialog);
            return new StandbyOpening(dialog, Stopped: false);
        }
    }

    // Runs on the standby's INVITE task before its ACK, like Admit. A pause or resume that came while its INVITE was out
    // is caught up with a re-INVITE; media flows only when both the recording and the agreed direction say so.
    private bool AdmitStandby(List<RecordingDialog> generation, RecordingDialog dialog)
    {
        bool pauseIt, resumeIt;
        lock (_gate)
        {
            if (!ReferenceEquals(_dialogs, generation) || _state is not (RecordingState.Recording or RecordingState.Paused))
                return false;
            var paused = _state == RecordingState.Paused;
            var offeredInactive = dialog.NegotiatedDirection == SdpDirection.Inactive;
            dialog.SetMediaPaused(paused || offeredInactive);
            AddStreams(dialog);
            pauseIt = paused && !offeredInactive;
            resumeIt = !paused && offeredInactive;
        }

        dialog.StartLiveness();
        if (pauseIt)
            _ = PauseLateJoinerAsync(dialog);
        if (resumeIt)
            _ = ResumeLateJoinerAsync(dialog);
        return true;
    }

    private async Task ResumeLateJoinerAsync(RecordingDialog dialog)
    {
        var outcome = await ResumeOneAsync(dialog, CancellationToken.None).ConfigureAwait(false);
        Raise([NewEvent(RecordingEventKind.Resumed, dialog.SrsUri, outcome.Detail)]);
    }

    /// <summary>How long the recording has been paused in all, up to <paramref name="now"/> (gap accounting of a failover).</summary>
    private TimeSpan PausedTotal(DateTimeOffset now)
    {
        lock (_gate)
            return _pausedTotal + (_state == RecordingState.Paused && _pausedSince is { } since && now > since ? now - since : TimeSpan.Zero);
    }

    private void OnFailoverExhausted(List<RecordingDialog> generation, RecorderFailover.Run run, string tried)
    {
        RecordingEvent? failed = null;
        lock (_gate)
        {
            if (ReferenceEquals(_dialogs, generation) && _state is RecordingState.Recording or RecordingState.Paused
                && !_dialogs.Any(d => d.Status == RecorderStatus.Established) && _failover?.ActiveRuns is not > 0)
            {
                _state = RecordingState.Failed;
                failed = NewEvent(RecordingEventKind.Failed, null,
                    $"every recorder has ended; last: {run.Failed.SrsUri}: {run.Failure.Detail}; no standby accepted: {tried}") with { Failure = run.Failure };
            }
        }

        if (failed is not null)
            Raise([failed]);
    }
}
