using System.Globalization;
using Microsoft.Extensions.Logging;
using Siprec.Recording.Dialogs;
using Siprec.Sip.Transport;

namespace Siprec.Recording;

/// <summary>
/// Failover of one recording's recorders (DESIGN "No silent loss", issue 11): when an established recorder fails mid-call,
/// its part of the recording is re-established on the next target of the same entry, in a new recording session dialog
/// (RFC 7866 §6.1) whose complete metadata snapshot keeps the recording's session and group IDs (RFC 7865 §6), so the SRS
/// can join the pieces. Runs in the background of the session: nothing a standby does holds a caller.
/// </summary>
/// <remarks>
/// <para>Candidates, in order: first the DNS SRV targets of the failed recorder's own URI after the one that answered
/// (RFC 3263 §4.3; one attempt over all of them, each but the last with its turn of the window), then the connector's
/// standby pool (<c>failoverUris</c>) in its order. The pool is shared by every primary of the recording; a standby serves
/// at most one failed recorder at a time: one that is being tried or records for another is skipped, as is a URI some live
/// recorder of the recording already uses. A standby that refused is not tried again in the same failover; once its attempt
/// is over (or the standby recording it failed in turn) it is free again for a later one.</para>
/// <para>Each attempt waits at most <see cref="SrcOptions.NoAnswerTimeout"/> (then it is given up on as a start is: CANCEL
/// after a provisional, a late 2xx gets ACK and BYE); <see cref="Stop"/> ends every run the same way.</para>
/// </remarks>
internal sealed class RecorderFailover
{
    private readonly IReadOnlyList<string> _pool;
    private readonly FailoverHost _host;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly string _callId;
    private readonly Lock _sync;
    private readonly Dictionary<string, RecordingDialog> _claims = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private int _activeRuns;

    /// <param name="pool">The standby URIs, in order (the connector's <c>failoverUris</c>); may be empty (SRV targets only).</param>
    /// <param name="host">What the session does for a failover.</param>
    /// <param name="time">The session's clock.</param>
    /// <param name="window">The no-answer window of one attempt (<see cref="SrcOptions.NoAnswerTimeout"/>).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="callId">The recorded call's Call-ID (log lines).</param>
    /// <param name="groupLock">The recording's one lock (<see cref="RecordingSession.GroupLock"/>): claims and runs change with the session's state.</param>
    public RecorderFailover(IReadOnlyList<string> pool, FailoverHost host, TimeProvider time, TimeSpan window, ILogger logger, string callId, Lock groupLock)
    {
        _sync = groupLock;
        _pool = pool;
        _host = host;
        _time = time;
        _window = window;
        _logger = logger;
        _callId = callId;
    }

    /// <summary>Failovers under way (a standby being tried); the recording is not failed while one runs.</summary>
    public int ActiveRuns
    {
        get { lock (_sync) return _activeRuns; }
    }

    /// <summary>
    /// Begins a failover for a recorder that failed at <paramref name="start"/>, when there is any candidate; the run is
    /// counted in <see cref="ActiveRuns"/> at once and sends its first INVITE when <see cref="Run.Go"/> is called. Null when
    /// there is no candidate or the failover was stopped. Does not wait; may be called under the session's lock.
    /// </summary>
    public Run? TryBegin(RecordingDialog failed, RecorderFailure failure, DateTimeOffset start)
    {
        lock (_sync)
        {
            if (_claims.TryGetValue(failed.SrsUri, out var holder) && ReferenceEquals(holder, failed))
                _claims.Remove(failed.SrsUri);
            var run = new Run(this, failed, failure, start);
            if (_stop.IsCancellationRequested || !HasCandidate(run))
                return null;
            _activeRuns++;
            return run;
        }
    }

    /// <summary>Ends every run (a stop or the call's end): no new attempt; the session's stop cancels the pending INVITE.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private bool HasCandidate(Run run) => run.SrvTargets.Count > 0 && !run.SrvTried || _pool.Any(u => IsFree(u, run));

    // Under _sync.
    private bool IsFree(string uri, Run run) =>
        !_claims.ContainsKey(uri) && !run.Tried.Contains(uri) && !string.Equals(uri, run.Failed.SrsUri, StringComparison.OrdinalIgnoreCase);

    // The next candidate, claimed for this run: the failed URI's untried SRV targets first, then the first free standby.
    private (string Uri, IReadOnlyList<SipTarget>? Targets)? Next(Run run)
    {
        lock (_sync)
        {
            if (_stop.IsCancellationRequested)
                return null;
            if (!run.SrvTried && run.SrvTargets.Count > 0)
            {
                run.SrvTried = true;
                return (run.Failed.SrsUri, run.SrvTargets);
            }

            var uri = _pool.FirstOrDefault(u => IsFree(u, run));
            if (uri is null)
                return null;
            run.Tried.Add(uri);
            return (uri, null);
        }
    }

    private void Claim(string uri, RecordingDialog dialog)
    {
        lock (_sync)
            _claims[uri] = dialog;
    }

    private void Release(RecordingDialog dialog)
    {
        lock (_sync)
        {
            if (_claims.TryGetValue(dialog.SrsUri, out var holder) && ReferenceEquals(holder, dialog))
                _claims.Remove(dialog.SrsUri);
        }
    }

    private void EndRun()
    {
        lock (_sync)
            _activeRuns--;
    }

    private RecordingEvent NewEvent(RecordingEventKind kind, string srsUri, string reason, string replaces) =>
        new(kind, _time.GetUtcNow(), srsUri, reason) { CallId = _callId, Replaces = replaces };

    /// <summary>One failover: the failed recorder, its failure, and the candidates tried so far.</summary>
    public sealed class Run
    {
        private readonly RecorderFailover _owner;

        internal Run(RecorderFailover owner, RecordingDialog failed, RecorderFailure failure, DateTimeOffset start)
        {
            _owner = owner;
            Failed = failed;
            Failure = failure;
            Start = start;
            PausedAtStart = owner._host.PausedTotal(start);
            SrvTargets = failed.UntriedTargets;
        }

        /// <summary>The recorder that failed.</summary>
        public RecordingDialog Failed { get; }

        /// <summary>How it failed.</summary>
        public RecorderFailure Failure { get; }

        /// <summary>When it failed (the gap's start).</summary>
        public DateTimeOffset Start { get; }

        /// <summary>How long the recording had been paused in all at <see cref="Start"/>.</summary>
        public TimeSpan PausedAtStart { get; }

        /// <summary>The failed URI's DNS SRV targets after the one that answered.</summary>
        public IReadOnlyList<SipTarget> SrvTargets { get; }

        /// <summary>Whether the SRV targets had their attempt.</summary>
        public bool SrvTried { get; set; }

        /// <summary>Standby URIs tried in this run.</summary>
        public HashSet<string> Tried { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Runs the failover in the background; never throws.</summary>
        public void Go() => _ = _owner.RunAsync(this);
    }

    private async Task RunAsync(Run run)
    {
        var refusals = new List<string>();
        var stopped = false;
        try
        {
            while (Next(run) is { } candidate)
            {
                var opened = _host.Open(candidate.Uri, candidate.Targets);
                if (opened.Stopped)
                {
                    stopped = true;
                    break;
                }

                if (opened.Dialog is not { } dialog)
                    continue; // a live recorder of this recording already uses that URI
                Claim(dialog.SrsUri, dialog);
                var target = candidate.Targets is { } targets ? $"{candidate.Uri} (next SRV target {targets[0]})" : candidate.Uri;
                Log.FailingOver(_logger, _callId, run.Failed.SrsUri, target);
                _host.Raise(NewEvent(RecordingEventKind.FailingOver, dialog.SrsUri, $"replacing {run.Failed.SrsUri}: {run.Failure.Detail}", run.Failed.SrsUri));
                var outcome = await AttemptAsync(run, dialog).ConfigureAwait(false);
                if (outcome.Kind == SrsOutcomeKind.Accepted)
                    return;
                Release(dialog);
                if (_stop.IsCancellationRequested)
                {
                    stopped = true; // the stop's own events say what happened to it
                    break;
                }

                refusals.Add(outcome.ToString());
                _host.Raise(NewEvent(RecordingEventKind.Failed, dialog.SrsUri, outcome.Detail, run.Failed.SrsUri));
            }

            stopped |= _stop.IsCancellationRequested;
        }
        catch (Exception ex)
        {
            Log.FailoverFailed(_logger, _callId, run.Failed.SrsUri, ex);
            refusals.Add(ex.Message);
        }
        finally
        {
            EndRun();
        }

        if (stopped)
            return;
        var tried = refusals.Count == 0 ? "no standby free" : string.Join("; ", refusals);
        Log.FailoverExhausted(_logger, _callId, run.Failed.SrsUri, tried);
        _host.Exhausted(run, tried);
    }

    // One standby: its INVITE with a new complete snapshot, at most the no-answer window, then given up on.
    private async Task<SrsOutcome> AttemptAsync(Run run, RecordingDialog dialog)
    {
        var invite = dialog.InviteAsync(dialog.Settings.Snapshot(), d => Admit(run, d));
        using var window = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var over = Task.Delay(_window, _time, window.Token);
        await Task.WhenAny(invite, over).ConfigureAwait(false);
        await window.CancelAsync().ConfigureAwait(false);
        if (invite.IsCompleted)
            return await invite.ConfigureAwait(false);

        var detail = _stop.IsCancellationRequested ? "failover stopped before the standby answered"
            : string.Create(CultureInfo.InvariantCulture, $"no answer within {_window.TotalSeconds:0.###} s");
        dialog.Abandon(_stop.IsCancellationRequested ? SrsOutcomeKind.Cancelled : SrsOutcomeKind.Timeout, detail);
        // Accepted meanwhile (Abandon no longer applies): its admission is at most an ACK away.
        return dialog.Status == RecorderStatus.Established ? await invite.ConfigureAwait(false) : dialog.Outcome;
    }

    // Runs on the dialog's task before its ACK: the session adds the standby's forwarders; then the gap is closed.
    private bool Admit(Run run, RecordingDialog dialog)
    {
        if (_stop.IsCancellationRequested || !_host.Admit(dialog))
            return false;
        var end = _time.GetUtcNow();
        var paused = _host.PausedTotal(end) - run.PausedAtStart;
        var lost = end - run.Start - paused;
        var gap = new FailoverGap(run.Start, end, lost > TimeSpan.Zero ? lost : TimeSpan.Zero);
        Log.FailedOver(_logger, _callId, run.Failed.SrsUri, dialog.SrsUri, gap.AudioNotDeliveredMs, gap.ToString());
        _host.Raise(NewEvent(RecordingEventKind.FailedOver, dialog.SrsUri, $"records in place of {run.Failed.SrsUri}; {gap}", run.Failed.SrsUri) with { Gap = gap });
        return true;
    }
}
