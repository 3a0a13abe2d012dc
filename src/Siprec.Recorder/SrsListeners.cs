using Microsoft.Extensions.Logging;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>The SIP listeners (RFC 3261 §18): binding them, the Contact each one answers with, where a session's BYE goes and sending it.</summary>
internal sealed class SrsListeners : IAsyncDisposable
{
    private readonly RecordingServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private IReadOnlyList<SrsListener>? _listeners;

    /// <param name="options">The listen addresses, TLS certificate, stream bounds, transaction timers and BYE timeout.</param>
    /// <param name="time">Clock of the transports, transaction layers and the BYE timeout.</param>
    /// <param name="loggerFactory">Source of the transports' and transaction layers' loggers.</param>
    /// <param name="logger">The server's logger: a failed BYE is logged under its category.</param>
    public SrsListeners(RecordingServerOptions options, TimeProvider time, ILoggerFactory loggerFactory, ILogger logger)
    {
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = logger;
    }

    /// <summary>True once <see cref="BindAsync"/> succeeded.</summary>
    public bool IsBound => _listeners is not null;

    /// <exception cref="InvalidOperationException">Not bound yet.</exception>
    public IReadOnlyList<SrsListener> Started => _listeners ?? throw new InvalidOperationException("the recording server is not started");

    /// <summary>
    /// Binds every configured listener, each with its own transaction layer whose transaction user is <paramref name="user"/>;
    /// on a failure closes those bound so far. The listeners are stored before any layer is started, since requests look
    /// up their listener here.
    /// </summary>
    public async Task<IReadOnlyList<SrsListener>> BindAsync(ITransactionUser user)
    {
        var bound = await SipListenerBinding.BindAsync(_options.ListenEndPoints,
            wanted => SipListeners.CreateTransport(wanted, _options.TlsCertificate, _options.StreamTransport, _time, _loggerFactory),
            transport => new TransactionLayer(transport, user, _time, _options.Transactions, _loggerFactory.CreateLogger<TransactionLayer>())).ConfigureAwait(false);
        var listeners = bound.Select(b => new SrsListener(b.Bound, b.Layer)).ToList();
        _listeners = listeners;
        return listeners;
    }

    /// <summary>The listener a request arrived on: the one whose transport and bound address match its envelope.</summary>
    public SrsListener ListenerFor(IncomingMessage incoming) => Started.FirstOrDefault(l => l.Bound.Received(incoming)) ?? Started[0];

    /// <summary>The SRS Contact for a dialog set up through <paramref name="listener"/> (<see cref="SipListenEndPoint.ContactFor"/>).</summary>
    public SipUri LocalContact(ServerTransaction transaction, SrsListener listener) =>
        listener.Bound.ContactFor(_options.UserName, transaction.Request.RequestUri);

    /// <summary>Where the SRS's BYE for <paramref name="session"/> goes: <see cref="SipTarget.ForInDialogRequest"/> with its first route, else its remote target.</summary>
    public static IReadOnlyList<SipTarget> ByeTargets(RecorderSession session, SipTransportProtocol transport)
    {
        // RFC 3261 §12.2.1.1: the first route (a record-routing proxy) when there is a route set, else the remote target.
        SipUri nextHop;
        lock (session.Dialog) nextHop = session.Dialog.RouteSet.Count > 0 ? session.Dialog.RouteSet[0].Uri : session.Dialog.RemoteTarget;
        return SipTarget.ForInDialogRequest(nextHop, session.SourceAddress, transport);
    }

    /// <summary>
    /// Sends the SRS's BYE, with <paramref name="end"/> as its Reason (RFC 3326), through the listener the session came in on
    /// (see <see cref="ByeTargets"/>); never throws.
    /// </summary>
    public async Task SendByeAsync(RecorderSession session, SessionEnd end)
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

    /// <summary>Closes every bound listener and its connections (disposing its transaction layer).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners ?? []) await listener.Layer.DisposeAsync().ConfigureAwait(false);
    }
}
