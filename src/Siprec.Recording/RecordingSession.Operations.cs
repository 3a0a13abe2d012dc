using Siprec.Recording.Dialogs;
using Siprec.Sip.Sdp;

namespace Siprec.Recording;

/// <summary>Pause, resume and stop of an established recording (DESIGN §4.3).</summary>
public sealed partial class RecordingSession
{
    /// <summary>
    /// Pauses every recorder: its media engine stops its media first (the re-INVITE waits for that), then a re-INVITE says <c>a=inactive</c>. A recorder
    /// that rejects the re-INVITE still receives no media. Not succeeded (and nothing done) unless recording.
    /// </summary>
    /// <param name="ct">Ends the wait for the recorders' answers.</param>
    /// <param name="progress">Filled with each recorder's answer as it comes (a caller answered at a bound reads it); null for none.</param>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while re-INVITEs were out; media stays paused.</exception>
    public async Task<RecordingOperationResult> PauseAsync(CancellationToken ct, RecorderProgress? progress = null)
    {
        progress ??= new RecorderProgress();
        List<RecordingDialog> targets;
        lock (_gate)
        {
            if (_state != RecordingState.Recording)
                return new RecordingOperationResult(false, []);
            _state = RecordingState.Paused;
            _pausedSince = _client.Time.GetUtcNow();
            targets = Established();
            foreach (var d in targets)
                d.SetMediaPaused(true);
        }

        Raise([NewEvent(RecordingEventKind.Paused, null, null)]);
        progress.Expect(targets.Select(d => d.SrsUri));
        // Each recorder's event as its answer comes: a stalled one does not hide the others' from the operator.
        var outcomes = await progress.TrackAll(targets.Select(d => d.ReinviteAsync(SdpDirection.Inactive, ct)),
            o => Raise([NewEvent(RecordingEventKind.Paused, o.SrsUri, o.Detail)])).ConfigureAwait(false);
        // Media stopped at once, whatever the recorders answered: the pause holds.
        return new RecordingOperationResult(outcomes.Any(o => o.Kind == SrsOutcomeKind.Accepted), outcomes) { StateAfter = RecordingState.Paused };
    }

    /// <summary>
    /// Resumes every recorder: re-INVITE with <c>a=sendonly</c>, then media flows again to each recorder whose
    /// agreed direction is sendonly. Not succeeded (and nothing done) unless paused; when every recorder refuses, the
    /// recording stays paused (nothing would be recorded) and the result is not succeeded.
    /// </summary>
    /// <param name="ct">Ends the wait for the recorders' answers.</param>
    /// <param name="progress">Filled with each recorder's answer as it comes (a caller answered at a bound reads it); null for none.</param>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while re-INVITEs were out.</exception>
    public async Task<RecordingOperationResult> ResumeAsync(CancellationToken ct, RecorderProgress? progress = null)
    {
        progress ??= new RecorderProgress();
        List<RecordingDialog> targets;
        lock (_gate)
        {
            if (_state != RecordingState.Paused)
                return new RecordingOperationResult(false, []);
            _state = RecordingState.Recording;
            if (_pausedSince is { } since)
                _pausedTotal += _client.Time.GetUtcNow() - since;
            _pausedSince = null;
            targets = Established();
        }

        progress.Expect(targets.Select(d => d.SrsUri));
        var outcomes = await progress.TrackAll(targets.Select(d => ResumeOneAsync(d, ct)),
            o => Raise([NewEvent(RecordingEventKind.Resumed, o.SrsUri, o.Detail)])).ConfigureAwait(false);
        var resumed = outcomes.Any(o => o.Kind == SrsOutcomeKind.Accepted);
        if (!resumed && targets.Count > 0)
        {
            // Every recorder refused: nothing is recorded (each recorder's media stays paused while its agreed direction is
            // inactive), so the recording is still paused, and saying "recording" would be a lie; a later resume may retry.
            lock (_gate)
            {
                if (_state == RecordingState.Recording)
                {
                    _state = RecordingState.Paused;
                    _pausedSince = _client.Time.GetUtcNow();
                }
            }
        }
        if (resumed)
            Raise([NewEvent(RecordingEventKind.Resumed, null, null)]);
        return new RecordingOperationResult(resumed, outcomes) { StateAfter = resumed || targets.Count == 0 ? RecordingState.Recording : RecordingState.Paused };
    }

    internal async Task<SrsOutcome> ResumeOneAsync(RecordingDialog dialog, CancellationToken ct)
    {
        var outcome = await dialog.ReinviteAsync(SdpDirection.SendOnly, ct).ConfigureAwait(false);
        lock (_gate)
        {
            // A pause that came in meanwhile wins; an SRS that still says inactive gets nothing.
            if (_state == RecordingState.Recording && dialog.NegotiatedDirection == SdpDirection.SendOnly && dialog.Status == RecorderStatus.Established)
                dialog.SetMediaPaused(false);
        }

        return outcome;
    }

    // A recorder that joins a paused recording (a late acceptance, a standby) is paused with a re-INVITE of its own.
    internal async Task PauseLateJoinerAsync(RecordingDialog dialog)
    {
        var outcome = await dialog.ReinviteAsync(Sip.Sdp.SdpDirection.Inactive, CancellationToken.None).ConfigureAwait(false);
        Raise([NewEvent(RecordingEventKind.Paused, dialog.SrsUri, outcome.Detail)]);
    }

    /// <summary>How long the recording has been paused in all, up to <paramref name="now"/> (gap accounting of a failover).</summary>
    internal TimeSpan PausedTotal(DateTimeOffset now)
    {
        lock (_gate)
            return _pausedTotal + (_state == RecordingState.Paused && _pausedSince is { } since && now > since ? now - since : TimeSpan.Zero);
    }

    /// <summary>
    /// Stops the recording: BYE to every established recorder, CANCEL to every pending INVITE, state Stopped,
    /// media sockets released. The call itself is not touched. Not succeeded when nothing was starting or recording.
    /// Each BYE answer is awaited at most <see cref="SrcOptions.NoAnswerTimeout"/>.
    /// </summary>
    /// <param name="ct">Ends the wait for the BYE answers.</param>
    /// <param name="progress">Filled with each recorder's answer as it comes (a caller answered at a bound reads it); null for none.</param>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting for BYE answers; the state is Stopped anyway.</exception>
    public async Task<RecordingOperationResult> StopAsync(CancellationToken ct, RecorderProgress? progress = null)
    {
        progress ??= new RecorderProgress();
        List<RecordingDialog> ending;
        List<RecordingDialog> abandoned;
        var events = new List<RecordingEvent>();
        lock (_gate)
        {
            if (_state is not (RecordingState.Starting or RecordingState.Recording or RecordingState.Paused))
                return new RecordingOperationResult(false, []);
            _state = RecordingState.Stopped;
            _startDecided?.TrySetResult(false);
            _failover?.Stop(); // no new standby attempt; a pending one is cancelled below like any pending INVITE
            ending = [];
            abandoned = [];
            foreach (var d in _dialogs)
            {
                if (d.TryEnd(d.Outcome))
                {
                    RemoveStreams(d);
                    ending.Add(d);
                    events.Add(NewEvent(RecordingEventKind.Stopped, d.SrsUri, "stopped by request"));
                }
                else if (d.Status == RecorderStatus.Pending)
                {
                    d.Abandon(SrsOutcomeKind.Cancelled, "stopped before the SRS answered");
                    abandoned.Add(d);
                }
            }

            events.Add(NewEvent(RecordingEventKind.Stopped, null, "stopped by request"));
        }

        Raise(events);
        try
        {
            // The result names every recorder the stop touched: the ones sent BYE and the ones given up on.
            progress.Expect(ending.Select(d => d.SrsUri));
            var outcomes = await progress.TrackAll(ending.Select(d => d.ByeAsync())).WaitAsync(ct).ConfigureAwait(false);
            return new RecordingOperationResult(true, [.. outcomes, .. abandoned.Select(d => d.Outcome)]) { StateAfter = RecordingState.Stopped };
        }
        finally
        {
            foreach (var d in ending)
                await d.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the recording if it is active (see <see cref="StopAsync"/>) and releases every media socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _media.DisposeAsync().ConfigureAwait(false);
        _client.Forget(this);
    }

    private List<RecordingDialog> Established() => _dialogs.Where(d => d.Status == RecorderStatus.Established).ToList();
}
