using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recording.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

using Siprec.Recording.MediaEngines;

namespace Siprec.Recording;

/// <summary>
/// The SIPREC client (SRC, RFC 7866 §6): owns one UDP SIP endpoint and its transaction layer, creates one
/// <see cref="RecordingSession"/> per recorded call, and as transaction user answers the SRSs' in-dialog
/// requests (BYE, re-INVITE, UPDATE, OPTIONS, INFO) and re-ACKs retransmitted 2xx.
/// </summary>
public sealed class SiprecClient : ITransactionUser, IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<string, RecordingDialog> _dialogs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RecordingSession, byte> _sessions = new();
    private List<ISipTransport> _transports = [];
    private string _host = "";
    private TransactionLayer? _layer;
    private readonly List<Channel<RecordingEvent>> _subscribers = [];
    private IPEndPoint? _sipEndPoint;
    private DialogContext? _dialogContext;
    private readonly ISipServerLocator _locator;
    private bool _disposed;

    /// <summary>Creates the client; nothing is bound until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings; validated here (<see cref="ArgumentException"/> when out of range).</param>
    /// <param name="time">The clock for timeouts and event timestamps.</param>
    /// <param name="loggerFactory">Loggers for the client, its transport and transactions.</param>
    /// <param name="locator">Finds each SRS's address (RFC 3263); default <see cref="SystemDnsServerLocator"/>.</param>
    /// <param name="mediaEngine">What forks the calls' media to the recorders (DESIGN §2); null for the embedded forwarder on <see cref="SrcOptions.MediaAddress"/>.</param>
    public SiprecClient(SrcOptions options, TimeProvider time, ILoggerFactory loggerFactory, ISipServerLocator? locator = null, IMediaEngine? mediaEngine = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        Options = options;
        Time = time;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = _loggerFactory.CreateLogger<SiprecClient>();
        _locator = locator ?? new SystemDnsServerLocator();
        MediaEngine = mediaEngine ?? new EmbeddedMediaEngine(options.MediaAddress, time, _loggerFactory, options.RtpPorts);
    }

    /// <summary>What forks the calls' media to the recorders: <c>embedded</c> unless another engine was given.</summary>
    public IMediaEngine MediaEngine { get; }

    /// <summary>The bound SIP endpoint; <see cref="InvalidOperationException"/> before <see cref="StartAsync"/>.</summary>
    public IPEndPoint SipEndPoint => _sipEndPoint ?? throw new InvalidOperationException("The SIPREC client is not started.");

    internal SrcOptions Options { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>
    /// What every recording dialog of this client gets instead of the client itself (built once by <see cref="StartAsync"/>);
    /// <see cref="InvalidOperationException"/> before.
    /// </summary>
    internal DialogContext DialogContext => _dialogContext ?? throw new InvalidOperationException("The SIPREC client is not started.");

    internal bool IsStarted => _layer is not null;

    /// <summary>The Contact value with the RFC 7866 §6.1.1 feature tag: <c>&lt;sip:SrcUser@ip:port&gt;;+sip.src</c>.</summary>
    private string ContactValue { get; set; } = "";

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>The Contact for a dialog whose INVITE goes over <paramref name="protocol"/> (that transport's listener).</summary>
    private string ContactFor(SipTransportProtocol protocol)
    {
        if (protocol == SipTransportProtocol.Udp)
            return ContactValue;
        var name = SipTarget.ProtocolName(protocol);
        var listener = _transports.FirstOrDefault(t => t.Protocol == name);
        if (listener is null)
            return ContactValue;
        var scheme = protocol == SipTransportProtocol.Tls ? "sips" : "sip";
        var transport = protocol == SipTransportProtocol.Tls ? "" : ";transport=tcp";
        return $"<{scheme}:{Options.SrcUser}@{_host}:{listener.LocalEndPoint.Port}{transport}>;+sip.src";
    }

    /// <summary>
    /// Binds <see cref="SrcOptions.SipEndPoint"/> (UDP; port 0 = any free port), TCP and TLS (client) listeners on the
    /// same address (any port), and starts the transaction layer.
    /// Throws <see cref="InvalidOperationException"/> when already started and <see cref="SocketException"/> when the bind fails.
    /// </summary>
    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_layer is not null)
            throw new InvalidOperationException("The SIPREC client is already started.");

        var transport = new UdpSipTransport(Options.SipEndPoint, _loggerFactory.CreateLogger<UdpSipTransport>());
        List<ISipTransport> transports = [transport];
        try
        {
            // Stream transports on the same address, any port: TCP, and TLS as a client (inbound TLS needs a certificate).
            var streamBind = new IPEndPoint(transport.LocalEndPoint.Address, 0);
            transports.Add(new TcpSipTransport(streamBind, null, Time, _loggerFactory.CreateLogger<TcpSipTransport>()));
            transports.Add(new TlsSipTransport(streamBind, Options.Tls, null, Time, _loggerFactory.CreateLogger<TlsSipTransport>()));
        }
        catch
        {
            foreach (var t in transports)
                t.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        var layer = new TransactionLayer(transports, this, Time, new SipTransactionOptions { UdpMaxBytes = Options.UdpMaxBytes }, _loggerFactory.CreateLogger<TransactionLayer>());
        layer.Start();
        _transports = transports;
        _layer = layer;
        _sipEndPoint = transport.LocalEndPoint;
        var host = _sipEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{_sipEndPoint.Address}]" : _sipEndPoint.Address.ToString();
        var localUri = SipUri.Parse($"sip:{Options.SrcUser}@{host}:{_sipEndPoint.Port}");
        ContactValue = $"<{localUri}>;+sip.src";
        _host = host;
        _dialogContext = new DialogContext(layer, _locator, Time, Options, Logger, localUri, _sipEndPoint.Address, ContactFor, Register, Unregister);
        Log.Listening(Logger, _sipEndPoint);
        return Task.CompletedTask;
    }

    /// <summary>Creates the recording session of one call; <see cref="InvalidOperationException"/> before <see cref="StartAsync"/>.</summary>
    public RecordingSession CreateSession(RecordedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!IsStarted)
            throw new InvalidOperationException("Start the SIPREC client before creating sessions.");
        var session = new RecordingSession(this, call);
        _sessions.TryAdd(session, 0);
        return session;
    }

    /// <summary>
    /// Every <see cref="RecordingEvent"/> of every session of this client, from now on, as one stream (for status
    /// callbacks and metrics). Events are buffered per subscriber (the oldest dropped beyond 1024, so a slow reader
    /// never blocks a call); the stream ends when <paramref name="ct"/> is cancelled or the client is disposed.
    /// </summary>
    public IAsyncEnumerable<RecordingEvent> ReadEventsAsync(CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<RecordingEvent>(new BoundedChannelOptions(1024)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Log.SubscriberLagging(Logger));
        lock (_subscribers)
        {
            if (_disposed)
                channel.Writer.TryComplete();
            else
                _subscribers.Add(channel);
        }

        // A subscriber that cancels without ever enumerating must not stay registered.
        ct.Register(() =>
        {
            lock (_subscribers)
                _subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });

        return ReadAsync(channel, ct);
    }

    private async IAsyncEnumerable<RecordingEvent> ReadAsync(Channel<RecordingEvent> channel, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                if (!more)
                    yield break;
                while (channel.Reader.TryRead(out var e))
                    yield return e;
            }
        }
        finally
        {
            lock (_subscribers)
                _subscribers.Remove(channel);
        }
    }

    internal void Publish(RecordingEvent recordingEvent)
    {
        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(recordingEvent);
        }
    }

    private void Register(RecordingDialog dialog) => _dialogs[dialog.CallId] = dialog;

    private void Unregister(RecordingDialog dialog) => _dialogs.TryRemove(new KeyValuePair<string, RecordingDialog>(dialog.CallId, dialog));

    internal void Forget(RecordingSession session) => _sessions.TryRemove(session, out _);

    /// <summary>Routes an SRS request to its recording dialog; unknown dialogs get 481, out-of-dialog OPTIONS 200.</summary>
    async Task ITransactionUser.OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        try
        {
            if (request.CallId is { } callId && _dialogs.TryGetValue(callId, out var dialog))
            {
                await dialog.HandleRequestAsync(transaction, cancellationToken).ConfigureAwait(false);
                return;
            }

            var outOfDialogOptions = request.Method == SipMethods.Options && request.To?.Tag is null;
            var code = outOfDialogOptions ? 200 : 481;
            Log.UnknownDialog(Logger, request.Method, transaction.Incoming.Remote, request.CallId ?? "none", code);
            var response = SipResponse.CreateFor(request, code, toTag: outOfDialogOptions ? SipIds.NewTag() : null);
            if (outOfDialogOptions)
                response = response.AddHeader("Allow", RecordingDialog.AllowValue).AddHeader("Supported", "timer");
            await transaction.RespondAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RequestFailed(Logger, request.Method, transaction.Incoming.Remote, ex);
            if (!transaction.IsFinal)
                await transaction.RespondAsync(SipResponse.CreateFor(request, 500), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>An ACK to our 2xx to an SRS re-INVITE: when that 2xx carried our offer, the ACK carries the answer.</summary>
    void ITransactionUser.OnAck(IncomingMessage ack)
    {
        if (ack.Message is SipRequest request && request.CallId is { } callId && _dialogs.TryGetValue(callId, out var dialog))
            dialog.OnAck(request);
    }

    /// <summary>A retransmitted 2xx to an INVITE means our ACK was lost: send it again (RFC 3261 §13.2.2.4).</summary>
    void ITransactionUser.OnStrayResponse(IncomingMessage response)
    {
        if (response.Message is SipResponse { StatusCode: >= 200 and < 300 } ok
            && ok.CSeq?.Method == SipMethods.Invite
            && ok.CallId is { } callId
            && _dialogs.TryGetValue(callId, out var dialog))
        {
            dialog.OnRetransmitted2xx(ok);
        }
    }

    /// <summary>The SRC never receives initial INVITEs it would keep; a cancelled re-INVITE needs no action.</summary>
    void ITransactionUser.OnCancelled(ServerTransaction inviteTransaction)
    {
    }

    /// <summary>Stops every session (BYE/CANCEL to their SRSs), then closes the transaction layer and the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Keys)
            await session.DisposeAsync().ConfigureAwait(false);
        lock (_subscribers)
        {
            _disposed = true;
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryComplete();
        }

        if (_layer is not null)
            await _layer.DisposeAsync().ConfigureAwait(false);
        foreach (var transport in _transports)
            await transport.DisposeAsync().ConfigureAwait(false);
    }
}
