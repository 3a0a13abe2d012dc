using Siprec.Recorder.Observability;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>
/// The embedded SIPREC recording server (SRS, RFC 7866 §6 and §8 from the SRS side): accepts recording
/// sessions over SIP/UDP, TCP and TLS (<see cref="RecordingServerOptions.AdditionalListenEndPoints"/>), records
/// each as a multi-channel WAV with a JSON sidecar (DESIGN §4.5), follows pause/resume re-INVITEs and finalizes
/// on BYE or shutdown. It is the transaction user of one
/// <see cref="TransactionLayer"/> per listener, so every request it receives gets exactly one final response.
/// </summary>
public sealed class RecordingServer : ITransactionUser, IAsyncDisposable
{
    // The sidecar's reason for a recording INVITE the SRC CANCELled before the SRS's 200 OK (RFC 3261 §9.2).
    private const string CancelledBySrc = "cancelled by the SRC";

    private readonly RecordingServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RecorderSession> _sessions = new(StringComparer.Ordinal);
    private readonly object _completedGate = new();
    private readonly List<RecordedSessionSummary> _completed = [];
    private readonly SrsListeners _listeners;
    private readonly InitialInviteAdmission _invites;
    private readonly SessionTimerRefresher _sessionTimer;
    private readonly SessionModification _modification;
    private int _shuttingDown;
    private readonly RecorderMetrics _metrics;
    private long _bytesOfFinishedSessions;
    private long _bytesReported;

    /// <summary>Creates a server; nothing is bound until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Addresses, output folder and limits; validated by <see cref="StartAsync"/>.</param>
    /// <param name="time">Clock for SIP timers, WAV alignment, flushes and sidecar times.</param>
    /// <param name="loggerFactory">Source of the server's, transport's and transaction layer's loggers.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public RecordingServer(RecordingServerOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<RecordingServer>();
        _metrics = new RecorderMetrics(() => _sessions.Count, BytesWritten);
        _listeners = new SrsListeners(options, time, loggerFactory, _logger);
        _invites = new InitialInviteAdmission(options, time, loggerFactory, _logger, _metrics, _listeners, OnAbandonedAsync);
        _sessionTimer = new SessionTimerRefresher(options, time, EndBySrsAsync);
        _modification = new SessionModification(_logger, _sessionTimer);
    }

    /// <summary>The meter the SRS's instruments live on (<c>Siprec.Recorder</c>); exporters select it by this name.</summary>
    public static string MeterName => RecorderMetrics.MeterName;

    /// <summary>Sessions being recorded now, for an operator's console: packets, loss, pause state and length so far.</summary>
    public IReadOnlyList<LiveSession> LiveSessions => _sessions.Values.Select(s => s.Snapshot()).OrderBy(s => s.StartedAt).ToList();

    /// <summary>The folder the WAV and sidecar files are written to (<see cref="RecordingServerOptions.OutputDirectory"/>, made absolute).</summary>
    public string OutputDirectory => Path.GetFullPath(_options.OutputDirectory);

    // A session leaves _sessions before FinishAsync adds its bytes to the finished total; the highest value reported so far
    // keeps the counter monotonic across that moment (a drop would read as a counter reset to Prometheus).
    private long BytesWritten()
    {
        lock (_completedGate)
        {
            _bytesReported = Math.Max(_bytesReported, _bytesOfFinishedSessions + _sessions.Values.Sum(s => s.BytesWritten));
            return _bytesReported;
        }
    }

    /// <summary>The bound UDP SIP address (with the real port when <see cref="RecordingServerOptions.SipEndPoint"/> had port 0).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started, or it has no UDP listener.</exception>
    public IPEndPoint SipEndPoint =>
        _listeners.Started.FirstOrDefault(l => l.Bound.Transport == SipTransportProtocol.Udp)?.Bound.EndPoint
        ?? throw new InvalidOperationException("the recording server has no UDP listener (RecordingServerOptions.SipEndPoint is null)");

    /// <summary>Every bound SIP listener with its real port, in the order of <see cref="RecordingServerOptions"/> (UDP <c>SipEndPoint</c> first).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IReadOnlyList<SipListenEndPoint> ListenEndPoints => _listeners.Started.Select(l => l.Bound).ToList();

    /// <summary>Sessions finalized so far (by BYE or shutdown), oldest first.</summary>
    public IReadOnlyList<RecordedSessionSummary> CompletedSessions
    {
        get { lock (_completedGate) return _completed.ToList(); }
    }

    /// <summary>This server's instruments, for tests that listen to its meter instance.</summary>
    internal RecorderMetrics Metrics => _metrics;

    /// <summary>Open sessions, for tests and diagnostics.</summary>
    internal IReadOnlyList<RecorderSession> ActiveSessions => _sessions.Values.ToList();

    /// <summary>Sessions currently being recorded.</summary>
    public int ActiveSessionCount => _sessions.Count;

    /// <summary>Raised after a session's WAV and JSON are final (on the thread that handled the BYE or the shutdown).</summary>
    public event Action<RecordedSessionSummary>? SessionCompleted;

    /// <summary>
    /// Validates the options, creates the output folder and proves it writable, finalizes the recordings a killed SRS left
    /// open in it (sidecar <c>reason: "recorder restarted"</c>, WAV header fixed), binds every SIP listener (UDP, TCP, TLS)
    /// and starts answering. When one listener cannot be bound, those already bound are closed again.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (e.g. a TLS listener without a certificate with a private key).</exception>
    /// <exception cref="IOException">The output folder cannot be created or written; the message names it.</exception>
    /// <exception cref="InvalidOperationException">Already started or disposed.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">A SIP address cannot be bound (in use, not local); the log names which.</exception>
    public async Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_listeners.IsBound) throw new InvalidOperationException("the recording server is already started");
        if (Volatile.Read(ref _shuttingDown) != 0) throw new InvalidOperationException("the recording server is disposed");
        _options.Validate();
        RecordingFolder.EnsureWritable(_options.OutputDirectory);
        RecordingFolder.FinalizeOrphans(_options.OutputDirectory, _logger);
        // Stored by BindAsync before the first request can arrive: requests look up their listener there.
        var listeners = await _listeners.BindAsync(this).ConfigureAwait(false);
        foreach (var listener in listeners) listener.Layer.Start();
        var output = Path.GetFullPath(_options.OutputDirectory);
        foreach (var listener in listeners) Log.Listening(_logger, listener.Bound, output);
    }

    /// <summary>Answers every request routed to the SRS (RFC 3261 §8.2 / §12.2.2); never throws.</summary>
    async Task ITransactionUser.OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        try
        {
            var inDialog = request.To?.Tag is not null;
            switch (request.Method)
            {
                case SipMethods.Invite when !inDialog:
                    await HandleInitialInviteAsync(transaction, cancellationToken).ConfigureAwait(false);
                    break;
                case SipMethods.Options when !inDialog:
                    await SrsResponses.RespondAsync(transaction, SrsResponses.Capabilities(SipResponse.CreateFor(request, 200)), cancellationToken).ConfigureAwait(false);
                    break;
                case var _ when inDialog:
                    await HandleInDialogAsync(transaction, cancellationToken).ConfigureAwait(false);
                    break;
                case SipMethods.Bye or SipMethods.Update or SipMethods.Info:
                    Log.UnknownDialog(_logger, request.Method, request.CallId ?? "none");
                    await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 481), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 405).AddHeader("Allow", SrsResponses.AllowedMethods), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RequestFailed(_logger, ex, request.Method, request.CallId ?? "none");
            if (!transaction.IsFinal)
            {
                // Unanswered, so neither started nor refused yet: the 500 refuses the session.
                if (request.Method == SipMethods.Invite && request.To?.Tag is null) _metrics.SessionRefused(SessionRefusal.Error);
                try
                {
                    await transaction.RespondAsync(SipResponse.CreateFor(request, 500), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception sendError) when (sendError is not OutOfMemoryException)
                {
                    Log.RequestFailed(_logger, sendError, request.Method, request.CallId ?? "none");
                }
            }
        }
    }

    /// <summary>ACK for a 2xx: confirms the dialog, which stops the missing-ACK watch.</summary>
    void ITransactionUser.OnAck(IncomingMessage ack)
    {
        var message = ack.Message;
        if (SessionKey(message.CallId, message.From?.Tag, message.To?.Tag) is { } key && _sessions.TryGetValue(key, out var session))
            session.Timers.MarkAcknowledged();
    }

    /// <summary>The SRS sends only BYE on shutdown; late responses need no action.</summary>
    void ITransactionUser.OnStrayResponse(IncomingMessage response)
    {
    }

    /// <summary>
    /// A CANCEL won the race against our answer to an initial INVITE: the session it created is dropped. A session the
    /// handler has not stored yet is dropped by the handler itself (it sees the INVITE final), whichever comes first.
    /// A CANCELled re-INVITE leaves the session as it was (RFC 3261 §14.1): the dialog and its recording go on.
    /// </summary>
    void ITransactionUser.OnCancelled(ServerTransaction inviteTransaction)
    {
        var invite = inviteTransaction.Request;
        if (invite.To?.Tag is not null) return;
        foreach (var (key, session) in _sessions)
        {
            if (session.Dialog.Id.CallId != invite.CallId || session.Dialog.Id.RemoteTag != invite.From?.Tag) continue;
            if (_sessions.TryRemove(key, out _)) _ = FinishAsync(session, endedBySrc: false, CancelledBySrc);
        }
    }

    /// <summary>
    /// Stops accepting sessions (INVITEs get 503), finalizes every open session so no received audio is
    /// lost, sends each SRC a BYE over the listener its session came in on (each bounded by
    /// <see cref="RecordingServerOptions.ByeTimeout"/>) and closes every listener and its connections.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _shuttingDown, 1) != 0) return;
        var open = _sessions.ToArray();
        _sessions.Clear();
        foreach (var (_, session) in open)
            await FinishAsync(session, endedBySrc: false, SessionEnd.Shutdown.Text).ConfigureAwait(false);
        await Task.WhenAll(open.Select(s => _listeners.SendByeAsync(s.Value, SessionEnd.Shutdown))).ConfigureAwait(false);
        Log.Stopped(_logger, open.Length);
        await _listeners.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    /// <summary>
    /// An initial INVITE: <see cref="InitialInviteAdmission"/> checks it and starts its session; here the session joins the
    /// server's table, survives or loses the races against CANCEL and shutdown, and is answered 200 OK.
    /// </summary>
    private async Task HandleInitialInviteAsync(ServerTransaction transaction, CancellationToken ct)
    {
        var request = transaction.Request;
        var source = transaction.Incoming.Remote;

        if (Volatile.Read(ref _shuttingDown) != 0)
        {
            await _invites.RefuseShuttingDownAsync(transaction, ct).ConfigureAwait(false);
            return;
        }
        if (await _invites.TryStartAsync(transaction, ct).ConfigureAwait(false) is not { } session) return;

        var dialog = session.Dialog;
        var id = session.Id;
        var key = SessionKey(dialog.Id.CallId, dialog.Id.RemoteTag, dialog.Id.LocalTag) ?? id;
        session.DialogKey = key;
        _sessions[key] = session;
        // A CANCEL processed while the session was being built found nothing in _sessions (OnCancelled), and the
        // layer's 487 made the INVITE final: the session must not outlive it. Whoever removes the key, this handler or
        // OnCancelled, finishes the session, so it is finished exactly once whichever came first. The fence orders the
        // insert before the read of the transaction's state (the layer sets that state before it calls OnCancelled).
        Interlocked.MemoryBarrier();
        if (transaction.IsFinal)
        {
            if (_sessions.TryRemove(key, out _))
            {
                Log.SessionCancelledWhileStarting(_logger, id, dialog.Id.CallId, source);
                _metrics.SessionRefused(SessionRefusal.Cancelled);
                await FinishAsync(session, endedBySrc: false, CancelledBySrc).ConfigureAwait(false);
            }
            return;
        }
        if (Volatile.Read(ref _shuttingDown) != 0)
        {
            // DisposeAsync took its snapshot before this session existed; finalize it here.
            _sessions.TryRemove(key, out _);
            await FinishAsync(session, endedBySrc: false, SessionEnd.Shutdown.Text).ConfigureAwait(false);
            await _invites.RefuseShuttingDownAsync(transaction, ct).ConfigureAwait(false);
            return;
        }
        session.SrcAllowsUpdate = request.GetHeaderValues("Allow").Any(m => m.Trim().Equals(SipMethods.Update, StringComparison.OrdinalIgnoreCase));
        var timer = _sessionTimer.Arm(session, request);
        session.Timers.ArmAckTimeout(_options.Transactions.T1 * 64, () => OnAckMissing(session));
        Log.SessionStarted(_logger, id, dialog.Id.CallId, source, session.Streams.Count, session.IsPaused);

        var response = SipResponse.CreateFor(request, 200, toTag: dialog.Id.LocalTag)
            .AddHeader("Contact", $"<{dialog.LocalContact}>;+sip.srs");
        response = SessionTimerRefresher.WithSessionTimer(SrsResponses.Capabilities(response), timer)
            .WithBody("application/sdp", session.Answer.ToBytes());
        // Counted with the 200 OK, so every initial INVITE is counted once: started, or refused (the shutdown race above included).
        _metrics.SessionStarted();
        await SrsResponses.RespondAsync(transaction, response, ct).ConfigureAwait(false);
    }

    private async Task HandleInDialogAsync(ServerTransaction transaction, CancellationToken ct)
    {
        var request = transaction.Request;
        var key = SessionKey(request.CallId, request.From?.Tag, request.To?.Tag);
        if (key is null || !_sessions.TryGetValue(key, out var session))
        {
            // RFC 3261 §12.2.2 (and RFC 5057 §5.1): 481 for every in-dialog request, OPTIONS included, so an SRC's
            // keep-alive ping learns that a restarted SRS no longer holds its recording instead of believing it alive.
            Log.UnknownDialog(_logger, request.Method, request.CallId ?? "none");
            await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 481), ct).ConfigureAwait(false);
            return;
        }

        bool inOrder;
        lock (session.Dialog) inOrder = request.CSeq is not { } cseq || session.Dialog.TryAcceptRemoteSequence(cseq.Sequence);
        if (!inOrder)
        {
            await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 500, "CSeq out of order"), ct).ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 200), ct).ConfigureAwait(false);
                if (_sessions.TryRemove(key, out _)) await FinishAsync(session, endedBySrc: true, null).ConfigureAwait(false);
                break;
            case SipMethods.Invite or SipMethods.Update:
                await _modification.HandleAsync(transaction, session, ct).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                await SrsResponses.RespondAsync(transaction, SrsResponses.Capabilities(SipResponse.CreateFor(request, 200)), ct).ConfigureAwait(false);
                break;
            case SipMethods.Info:
                await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 200), ct).ConfigureAwait(false);
                break;
            default:
                await SrsResponses.RespondAsync(transaction, SipResponse.CreateFor(request, 405).AddHeader("Allow", SrsResponses.AllowedMethods), ct).ConfigureAwait(false);
                break;
        }
    }

    private async Task<RecordedSessionSummary> FinishAsync(RecorderSession session, bool endedBySrc, string? reason)
    {
        RecordedSessionSummary summary;
        try
        {
            summary = await session.CompleteAsync(endedBySrc, reason).ConfigureAwait(false);
        }
        finally
        {
            session.Admission?.Dispose();
        }
        lock (_completedGate)
        {
            if (_completed.Any(c => c.SessionId == summary.SessionId)) return summary;
            _completed.Add(summary);
            _bytesOfFinishedSessions += session.BytesWritten;
        }
        _metrics.SessionEnded(summary.Complete);
        SessionCompleted?.Invoke(summary);
        return summary;
    }

    private void OnAckMissing(RecorderSession session) =>
        _ = EndBySrsAsync(session, SessionEnd.AckMissing, "no ACK for the 200 OK within 64*T1 (RFC 3261 §13.3.1.4)");

    private Task OnAbandonedAsync(RecorderSession session, SessionEnd end) =>
        EndBySrsAsync(session, end, end.Cause == 408
            ? $"{end.Text} on any stream while not paused: the SRC is gone without BYE"
            : $"{end.Text}: nothing more can be recorded, so the SRC should record elsewhere");

    /// <summary>Ends a session the SRC abandoned or the SRS cannot go on with: finalize the files, then tell the SRC with BYE and the Reason.</summary>
    private async Task EndBySrsAsync(RecorderSession session, SessionEnd end, string detail)
    {
        if (session.DialogKey is null || !_sessions.TryRemove(session.DialogKey, out _)) return;
        Log.SessionEndedBySrs(_logger, session.Id, detail);
        try
        {
            await FinishAsync(session, endedBySrc: false, end.Text).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WriteFailed(_logger, ex, session.Id);
        }
        await _listeners.SendByeAsync(session, end).ConfigureAwait(false);
    }

    private static string? SessionKey(string? callId, string? remoteTag, string? localTag) =>
        callId is null || remoteTag is null || localTag is null ? null : $"{callId}\n{remoteTag}\n{localTag}";
}
