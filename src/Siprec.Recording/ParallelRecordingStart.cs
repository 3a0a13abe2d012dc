using Siprec.Recording.Dialogs;

namespace Siprec.Recording;

/// <summary>
/// The start of a <see cref="RecordingSession"/> (RFC 7866 §6.1, §7.1): one INVITE per SRS in parallel; the first
/// acceptance decides, later ones join, and the no-answer window gives up on the rest. State changes happen under the
/// session's <see cref="RecordingSession.GroupLock"/>, on the session's own state.
/// </summary>
internal sealed class ParallelRecordingStart
{
    private readonly RecordingSession _session;
    private readonly SiprecClient _client;

    /// <param name="session">The session whose start this is; its state is read and changed under its lock.</param>
    /// <param name="client">The SRC: the no-answer window and the clock.</param>
    public ParallelRecordingStart(RecordingSession session, SiprecClient client)
    {
        _session = session;
        _client = client;
    }

    /// <summary>Sends the INVITEs of <paramref name="dialogs"/> and returns at the start's decision (see <see cref="RecordingSession.StartAsync(Siprec.Control.RecordingControlRequest, RecordingStartOptions, CancellationToken)"/>).</summary>
    public async Task<RecordingStartResult> RunAsync(List<RecordingDialog> dialogs, byte[] snapshot, TaskCompletionSource<bool> decided, CancellationToken ct)
    {
        var invites = dialogs.Select(d => RunInviteAsync(d, snapshot, decided)).ToArray();
        var allDone = Task.WhenAll(invites);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timeout = Task.Delay(_client.Options.NoAnswerTimeout, _client.Time, timeoutCts.Token);
        await Task.WhenAny(decided.Task, allDone, timeout).ConfigureAwait(false);
        timeoutCts.Cancel();

        RecordingStartResult result;
        var events = new List<RecordingEvent>();
        lock (_session.GroupLock)
        {
            var state = _session.StateUnderLock;
            if (state is RecordingState.Recording or RecordingState.Paused && ReferenceEquals(_session.DialogsUnderLock, dialogs))
            {
                result = new RecordingStartResult(true, false, Snapshot(dialogs));
            }
            else if (state != RecordingState.Starting || !ReferenceEquals(_session.StartDecidedUnderLock, decided))
            {
                // Stopped while starting.
                result = new RecordingStartResult(false, false, Snapshot(dialogs));
            }
            else if (allDone.IsCompleted)
            {
                _session.StateUnderLock = RecordingState.Failed;
                result = new RecordingStartResult(false, false, Snapshot(dialogs));
                events.Add(_session.NewEvent(RecordingEventKind.Failed, null, "every SRS failed: " + string.Join("; ", result.Outcomes)));
            }
            else
            {
                var cancelled = ct.IsCancellationRequested;
                var detail = cancelled ? "start cancelled" : $"no answer within {_client.Options.NoAnswerTimeout.TotalSeconds:0.###} s";
                foreach (var d in dialogs)
                    d.Abandon(cancelled ? SrsOutcomeKind.Cancelled : SrsOutcomeKind.Timeout, detail);
                _session.StateUnderLock = RecordingState.Idle;
                result = new RecordingStartResult(false, !cancelled, Snapshot(dialogs));
                events.Add(_session.NewEvent(RecordingEventKind.Failed, null, detail));
            }
        }

        _session.Raise(events);
        if (!result.Started)
            ct.ThrowIfCancellationRequested();
        return result;
    }

    private async Task RunInviteAsync(RecordingDialog dialog, byte[] metadata, TaskCompletionSource<bool> decided)
    {
        var outcome = await dialog.InviteAsync(metadata, d => Admit(d, decided)).ConfigureAwait(false);
        if (outcome.Kind != SrsOutcomeKind.Accepted)
            _session.Raise([_session.NewEvent(RecordingEventKind.Failed, dialog.SrsUri, outcome.Detail)]);
    }

    /// <summary>Adds an accepted recorder if this start is still wanted; runs on the dialog's task.</summary>
    private bool Admit(RecordingDialog dialog, TaskCompletionSource<bool> decided)
    {
        var events = new List<RecordingEvent>();
        var pauseNow = false;
        lock (_session.GroupLock)
        {
            if (!ReferenceEquals(_session.StartDecidedUnderLock, decided)
                || _session.StateUnderLock is not (RecordingState.Starting or RecordingState.Recording or RecordingState.Paused))
                return false;

            if (_session.StateUnderLock == RecordingState.Paused)
            {
                dialog.SetMediaPaused(true);
                pauseNow = true;
            }

            RecordingSession.AddStreams(dialog);
            events.Add(_session.NewEvent(RecordingEventKind.Started, dialog.SrsUri, dialog.Outcome.Detail));
            if (_session.StateUnderLock == RecordingState.Starting)
            {
                _session.StateUnderLock = RecordingState.Recording;
                events.Add(_session.NewEvent(RecordingEventKind.Started, null, $"{dialog.SrsUri} accepted"));
            }
        }

        _session.Raise(events);
        decided.TrySetResult(true);
        dialog.StartLiveness();
        if (pauseNow)
            _ = _session.PauseLateJoinerAsync(dialog);
        return true;
    }

    private static SrsOutcome[] Snapshot(List<RecordingDialog> dialogs) => dialogs.Select(d => d.Outcome).ToArray();
}
