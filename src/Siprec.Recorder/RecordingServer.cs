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
/// sessions over SIP/UDP, records each as a multi-channel WAV with a JSON sidecar (DESIGN §4.5), follows
/// pause/resume re-INVITEs and finalizes on BYE or shutdown. It is the transaction user of its own
/// <see cref="TransactionLayer"/>, so every request it receives gets exactly one final response.
/// </summary>
public sealed partial class RecordingServer : ITransactionUser, IAsyncDisposable
{
    private const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";
    private const string AcceptedTypes = "application/sdp, application/rs-metadata+xml, application/rs-metadata, multipart/mixed";

    private readonly RecordingServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RecorderSession> _sessions = new(StringComparer.Ordinal);
    private readonly object _completedGate = new();
    private readonly List<RecordedSessionSummary> _completed = [];
    private UdpSipTransport? _transport;
    private TransactionLayer? _layer;
    private int _shuttingDown;

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
    }

    /// <summary>The bound SIP address (with the real port when <see cref="RecordingServerOptions.SipEndPoint"/> had port 0).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IPEndPoint SipEndPoint => _transport?.LocalEndPoint ?? throw new InvalidOperationException("the recording server is not started");

    /// <summary>Sessions finalized so far (by BYE or shutdown), oldest first.</summary>
    public IReadOnlyList<RecordedSessionSummary> CompletedSessions
    {
        get { lock (_completedGate) return _completed.ToList(); }
    }

    /// <summary>Open sessions, for tests and diagnostics.</summary>
    internal IReadOnlyList<RecorderSession> ActiveSessions => _sessions.Values.ToList();

    /// <summary>Sessions currently being recorded.</summary>
    public int ActiveSessionCount => _sessions.Count;

    /// <summary>Raised after a session's WAV and JSON are final (on the thread that handled the BYE or the shutdown).</summary>
    public event Action<RecordedSessionSummary>? SessionCompleted;

    /// <summary>Validates the options, creates the output folder, binds the SIP socket and starts answering.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">Already started or disposed.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The SIP address cannot be bound.</exception>
    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_transport is not null) throw new InvalidOperationException("the recording server is already started");
        if (Volatile.Read(ref _shuttingDown) != 0) throw new InvalidOperationException("the recording server is disposed");
        _options.Validate();
        Directory.CreateDirectory(_options.OutputDirectory);
        _transport = new UdpSipTransport(_options.SipEndPoint, _loggerFactory.CreateLogger<UdpSipTransport>());
        _layer = new TransactionLayer(_transport, this, _time, _options.Transactions, _loggerFactory.CreateLogger<TransactionLayer>());
        _layer.Start();
        Log.Listening(_logger, _transport.LocalEndPoint, Path.GetFullPath(_options.OutputDirectory));
        return Task.CompletedTask;
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
                    Log.UnknownDialog(_logger, request.Method, request.CallId);
                    await RespondAsync(transaction, SipResponse.CreateFor(request, 481), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await RespondAsync(transaction, SipResponse.CreateFor(request, 405).AddHeader("Allow", AllowedMethods), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RequestFailed(_logger, ex, request.Method, request.CallId);
            if (!transaction.IsFinal)
            {
                try
                {
                    await transaction.RespondAsync(SipResponse.CreateFor(request, 500), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception sendError) when (sendError is not OutOfMemoryException)
                {
                    Log.RequestFailed(_logger, sendError, request.Method, request.CallId);
                }
            }
        }
    }

    /// <summary>ACK for a 2xx: confirms the dialog, which stops the missing-ACK watch.</summary>
    void ITransactionUser.OnAck(IncomingMessage ack)
    {
        var message = ack.Message;
        if (SessionKey(message.CallId, message.From?.Tag, message.To?.Tag) is { } key && _sessions.TryGetValue(key, out var session))
            session.MarkAcknowledged();
    }

    /// <summary>The SRS sends only BYE on shutdown; late responses need no action.</summary>
    void ITransactionUser.OnStrayResponse(IncomingMessage response)
    {
    }

    /// <summary>A CANCEL won the race against our answer: the session it created is dropped.</summary>
    void ITransactionUser.OnCancelled(ServerTransaction inviteTransaction)
    {
        var invite = inviteTransaction.Request;
        foreach (var (key, session) in _sessions)
        {
            if (session.Dialog.Id.CallId != invite.CallId || session.Dialog.Id.RemoteTag != invite.From?.Tag) continue;
            if (_sessions.TryRemove(key, out _)) _ = FinishAsync(session, endedBySrc: false);
        }
    }

    /// <summary>
    /// Stops accepting sessions (INVITEs get 503), finalizes every open session so no received audio is
    /// lost, sends each SRC a BYE (each bounded by <see cref="RecordingServerOptions.ByeTimeout"/>) and
    /// closes the SIP socket.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _shuttingDown, 1) != 0) return;
        var open = _sessions.ToArray();
        _sessions.Clear();
        foreach (var (_, session) in open)
            await FinishAsync(session, endedBySrc: false).ConfigureAwait(false);
        if (_layer is not null)
            await Task.WhenAll(open.Select(s => SendByeAsync(s.Value))).ConfigureAwait(false);
        Log.Stopped(_logger, open.Length);
        if (_layer is not null) await _layer.DisposeAsync().ConfigureAwait(false);
        if (_transport is not null) await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<RecordedSessionSummary> FinishAsync(RecorderSession session, bool endedBySrc)
    {
        var summary = await session.CompleteAsync(endedBySrc).ConfigureAwait(false);
        lock (_completedGate)
        {
            if (_completed.Any(c => c.SessionId == summary.SessionId)) return summary;
            _completed.Add(summary);
        }
        SessionCompleted?.Invoke(summary);
        return summary;
    }

    private async Task SendByeAsync(RecorderSession session)
    {
        var destination = session.ByeDestination;
        try
        {
            SipRequest bye;
            lock (session.Dialog) bye = session.Dialog.CreateRequest(SipMethods.Bye);
            using var timeout = new CancellationTokenSource(_options.ByeTimeout, _time);
            var outcome = await _layer!.SendRequestAsync(bye, destination, null, timeout.Token).ConfigureAwait(false);
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

    private SipResponse Reject(SipRequest request, int statusCode, string reason)
    {
        var text = reason.Replace('"', '\'');
        return SipResponse.CreateFor(request, statusCode)
            .AddHeader("Warning", $"399 {SipEndPoint.Address} \"{text}\"");
    }
}
