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
public sealed partial class RecordingServer : ITransactionUser, IAsyncDisposable
{
    private const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";
    // The sidecar's reason for a recording INVITE the SRC CANCELled before the SRS's 200 OK (RFC 3261 §9.2).
    private const string CancelledBySrc = "cancelled by the SRC";
    private const string AcceptedTypes = "application/sdp, application/rs-metadata+xml, application/rs-metadata, multipart/mixed";

    private readonly RecordingServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RecorderSession> _sessions = new(StringComparer.Ordinal);
    private readonly object _completedGate = new();
    private readonly List<RecordedSessionSummary> _completed = [];
    private readonly SessionAdmission _admission;
    private IReadOnlyList<SrsListener>? _listeners;
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
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<RecordingServer>();
        _admission = new SessionAdmission(options.MaxConcurrentSessions, options.EffectiveMaxSessionsPerSource);
        _metrics = new RecorderMetrics(() => _sessions.Count, BytesWritten);
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
        Started.FirstOrDefault(l => l.Bound.Transport == SipTransportProtocol.Udp)?.Bound.EndPoint
        ?? throw new InvalidOperationException("the recording server has no UDP listener (RecordingServerOptions.SipEndPoint is null)");

    /// <summary>Every bound SIP listener with its real port, in the order of <see cref="RecordingServerOptions"/> (UDP <c>SipEndPoint</c> first).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IReadOnlyList<SipListenEndPoint> ListenEndPoints => Started.Select(l => l.Bound).ToList();

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
        if (_listeners is not null) throw new InvalidOperationException("the recording server is already started");
        if (Volatile.Read(ref _shuttingDown) != 0) throw new InvalidOperationException("the recording server is disposed");
        _options.Validate();
        RecordingFolder.EnsureWritable(_options.OutputDirectory);
        RecordingFolder.FinalizeOrphans(_options.OutputDirectory, _logger);
        var listeners = await BindListenersAsync().ConfigureAwait(false);
        _listeners = listeners; // before the first request can arrive: requests look up their listener here
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
                    await RespondAsync(transaction, Capabilities(SipResponse.CreateFor(request, 200)), cancellationToken).ConfigureAwait(false);
                    break;
                case var _ when inDialog:
                    await HandleInDialogAsync(transaction, cancellationToken).ConfigureAwait(false);
                    break;
                case SipMethods.Bye or SipMethods.Update or SipMethods.Info:
                    Log.UnknownDialog(_logger, request.Method, request.CallId ?? "none");
                    await RespondAsync(transaction, SipResponse.CreateFor(request, 481), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await RespondAsync(transaction, SipResponse.CreateFor(request, 405).AddHeader("Allow", AllowedMethods), cancellationToken).ConfigureAwait(false);
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
        await Task.WhenAll(open.Select(s => SendByeAsync(s.Value, SessionEnd.Shutdown))).ConfigureAwait(false);
        Log.Stopped(_logger, open.Length);
        foreach (var listener in _listeners ?? []) await listener.Layer.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
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

    /// <summary>
    /// Sends the SRS's BYE, with <paramref name="end"/> as its Reason (RFC 3326), through the listener the session came in on
    /// (see <see cref="ByeTargets"/>); never throws.
    /// </summary>
    private async Task SendByeAsync(RecorderSession session, SessionEnd end)
    {
        if (session.Listener is not { } listener) return;
        var targets = ByeTargets(session, listener.Bound.Transport);
        var destination = string.Join(" or ", targets);
        try
        {
            SipRequest bye;
            lock (session.Dialog) bye = session.Dialog.CreateRequest(SipMethods.Bye).AddHeader("Reason", end.ReasonHeader);
            using var timeout = new CancellationTokenSource(_options.ByeTimeout, _time);
            var outcome = await listener.Layer.SendRequestAsync(bye, targets, null, timeout.Token).ConfigureAwait(false);
            if (!outcome.IsSuccess)
                Log.ByeFailed(_logger, session.Id, destination, outcome.Response is { } r ? $"{r.StatusCode} {r.ReasonPhrase}" : outcome.Error ?? outcome.Kind.ToString());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ByeFailed(_logger, session.Id, destination, ex.Message);
        }
    }

    private SipResponse Capabilities(SipResponse response) => response
        .AddHeader("Allow", AllowedMethods)
        .AddHeader("Accept", AcceptedTypes)
        .AddHeader("Supported", "siprec, timer");

    private static ValueTask RespondAsync(ServerTransaction transaction, SipResponse response, CancellationToken ct) =>
        transaction.RespondAsync(response, ct);

    /// <summary>An error response whose Warning (RFC 3261 §20.43) names the address the request arrived on as warn-agent.</summary>
    private static SipResponse Reject(ServerTransaction transaction, int statusCode, string reason)
    {
        var text = reason.Replace('"', '\'');
        return SipResponse.CreateFor(transaction.Request, statusCode)
            .AddHeader("Warning", $"399 {transaction.Incoming.Local.Address} \"{text}\"");
    }
}
