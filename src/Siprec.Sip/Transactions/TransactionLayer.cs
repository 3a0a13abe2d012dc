using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The RFC 3261 §17 transaction layer over one transport: creates client transactions for outgoing requests,
/// matches responses (§17.1.3) and requests (§17.2.3) to transactions, answers CANCEL, and hands new requests
/// to the <see cref="ITransactionUser"/>. Nothing on the receive path throws.
/// </summary>
public sealed class TransactionLayer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ClientTransactionMachine> _clients = new(); // keys carry the method, so INVITE and non-INVITE never collide
    private readonly CancellationTokenSource _stopping = new();
    private readonly ServerTransactionTable _servers;
    private int _started;
    private int _disposed;

    /// <summary>Creates the layer over one transport; call <see cref="Start"/> to begin receiving.</summary>
    /// <param name="transport">The transport; disposed with the layer.</param>
    /// <param name="user">Receives requests, 2xx ACKs, stray responses and cancellations.</param>
    /// <param name="time">The clock for Timers A..M.</param>
    /// <param name="options">T1/T2/T4; validated here.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="ArgumentOutOfRangeException">Invalid timer options.</exception>
    public TransactionLayer(ISipTransport transport, ITransactionUser user, TimeProvider time, SipTransactionOptions options, ILogger<TransactionLayer>? logger = null)
        : this([transport ?? throw new ArgumentNullException(nameof(transport))], user, time, options, logger)
    {
    }

    /// <summary>
    /// Creates the layer over several transports (e.g. UDP, TCP and TLS on one host); requests go out on the one
    /// whose <see cref="ISipTransport.Protocol"/> matches the target (RFC 3261 §18.1.1), responses on the one the
    /// request came in on (§18.2.2). Call <see cref="Start"/> to begin receiving.
    /// </summary>
    /// <param name="transports">At least one transport; all are disposed with the layer.</param>
    /// <param name="user">Receives requests, 2xx ACKs, stray responses and cancellations.</param>
    /// <param name="time">The clock for Timers A..M.</param>
    /// <param name="options">T1/T2/T4; validated here.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="ArgumentException">No transport, or a null entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid timer options.</exception>
    public TransactionLayer(IReadOnlyList<ISipTransport> transports, ITransactionUser user, TimeProvider time, SipTransactionOptions options, ILogger<TransactionLayer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        if (transports.Count == 0 || transports.Any(t => t is null)) throw new ArgumentException("at least one transport and no null entries are required", nameof(transports));
        options.Validate();
        Transports = transports.ToArray();
        User = user;
        Time = time;
        Options = options;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
        _servers = new ServerTransactionTable(this, _stopping);
    }

    /// <summary>The first transport (the only one for the single-transport constructor).</summary>
    public ISipTransport Transport => Transports[0];

    /// <summary>Every transport this layer sends and receives on.</summary>
    public IReadOnlyList<ISipTransport> Transports { get; }

    internal ITransactionUser User { get; }

    internal TimeProvider Time { get; }

    /// <summary>The timer bases (T1, T2, T4, Timer D) and limits this layer runs with; a TU reads T1 here to size its own waits.</summary>
    public SipTransactionOptions Options { get; }

    internal ILogger Logger { get; }

    /// <summary>Starts receiving from the transport.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the transaction layer is already started");
        foreach (var transport in Transports)
        {
            var source = transport;
            source.Start((datagram, remote) => OnDatagram(source, datagram, remote));
        }
    }

    /// <summary>Sends <paramref name="request"/> over UDP to <paramref name="destination"/>; see the <see cref="SipTarget"/> overload.</summary>
    /// <exception cref="ArgumentException">The request is an ACK (use <see cref="SendAckAsync(SipRequest, IPEndPoint, CancellationToken)"/>) or lacks Call-ID/CSeq/From/To.</exception>
    public Task<TransactionOutcome> SendRequestAsync(SipRequest request, IPEndPoint destination,
        Action<SipResponse>? onProvisional = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return SendRequestAsync(request, new SipTarget(destination, SipTransportProtocol.Udp), onProvisional, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> in a new client transaction over the transport matching
    /// <paramref name="target"/>: inserts the top Via (that transport, new branch, <c>rport</c>) and Max-Forwards when
    /// missing. INVITE: returns the first final response, ACKs a non-2xx itself (the 2xx ACK is the dialog's), and on
    /// cancellation sends CANCEL (after a provisional; before one, it stops retransmitting and waits for one, RFC 3261 §9.1) and still
    /// returns the final response (Timer B's timeout when none comes). Non-INVITE: cancellation
    /// abandons the transaction and throws <see cref="OperationCanceledException"/>. No transport for the target's
    /// protocol, a refused connection or a failed TLS check is a <see cref="TransactionOutcomeKind.TransportError"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request is an ACK (use <see cref="SendAckAsync(SipRequest, SipTarget, CancellationToken)"/>) or lacks Call-ID/CSeq/From/To.</exception>
    public async Task<TransactionOutcome> SendRequestAsync(SipRequest request, SipTarget target,
        Action<SipResponse>? onProvisional = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (request.Method == SipMethods.Ack) throw new ArgumentException("ACK is not a transaction; use SendAckAsync", nameof(request));
        if (request.CSeq is null || request.CallId is null || request.From is null || request.To is null)
        {
            throw new ArgumentException("a request needs Call-ID, CSeq, From and To", nameof(request));
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (FindTransport(target.Protocol) is not { } transport)
        {
            return new TransactionOutcome(TransactionOutcomeKind.TransportError, null,
                $"no {target.ViaName} transport is configured to reach {target}") { Target = target };
        }
        var hop = new Hop(transport, target);
        var branch = SipIds.NewBranch();
        var prepared = Prepare(request, hop, branch);
        if (target.Protocol == SipTransportProtocol.Udp && Options.UdpMaxBytes > 0
            && SipSerializer.Measure(prepared) is var size && size > Options.UdpMaxBytes)
        {
            // RFC 3261 §18.1.1: too large for UDP with an unknown path MTU; TCP first, UDP only when TCP cannot connect.
            var callId = request.CallId ?? "";
            var tcpTarget = target with { Protocol = SipTransportProtocol.Tcp, TlsHostName = null };
            if (target.IsTransportExplicit)
            {
                Log.OversizedOverUdp(Logger, request.Method, callId, size, Options.UdpMaxBytes, target.ToString(), "the URI names transport=udp");
            }
            else if (FindTransport(SipTransportProtocol.Tcp) is not { } tcp)
            {
                Log.OversizedOverUdp(Logger, request.Method, callId, size, Options.UdpMaxBytes, target.ToString(), "no TCP transport is configured");
            }
            else
            {
                Log.OversizedToTcp(Logger, request.Method, callId, size, Options.UdpMaxBytes, tcpTarget.ToString());
                var overTcp = await RunAsync(request, new Hop(tcp, tcpTarget), onProvisional, cancellationToken).ConfigureAwait(false);
                if (overTcp.Kind != TransactionOutcomeKind.TransportError || cancellationToken.IsCancellationRequested) return overTcp;
                Log.OversizedTcpFailed(Logger, request.Method, callId, size, tcpTarget.ToString(), overTcp.Error ?? "transport error");
                prepared = Prepare(request, hop, branch = SipIds.NewBranch());
            }
        }
        return await RunAsync(prepared, hop, branch, onProvisional, cancellationToken).ConfigureAwait(false);
    }

    private Task<TransactionOutcome> RunAsync(SipRequest request, Hop hop, Action<SipResponse>? onProvisional, CancellationToken cancellationToken)
    {
        var branch = SipIds.NewBranch();
        return RunAsync(Prepare(request, hop, branch), hop, branch, onProvisional, cancellationToken);
    }

    /// <summary>One client transaction for an already prepared request; the outcome names the hop it used.</summary>
    private async Task<TransactionOutcome> RunAsync(SipRequest prepared, Hop hop, string branch, Action<SipResponse>? onProvisional, CancellationToken cancellationToken)
    {
        var key = ClientKey(branch, prepared.Method);
        ClientTransactionMachine tx = prepared.Method == SipMethods.Invite
            ? new ClientInviteTransaction(this, key, prepared, hop, onProvisional)
            : new ClientNonInviteTransaction(this, key, prepared, hop, onProvisional);
        _clients[key] = tx;
        await using var registration = cancellationToken.Register(tx.OnCallerCancelled).ConfigureAwait(false);
        await tx.StartAsync().ConfigureAwait(false);
        return await tx.Outcome.ConfigureAwait(false) with { Target = hop.Target };
    }

    // RFC 3263 §4.3 failover: the next located target on a transport error, a timeout or a 503.
    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="targets"/> in order (as <see cref="Location.SipServerLocator"/>
    /// returned them), each in a new client transaction with a new branch. Moves on after a transport error, a
    /// timeout (Timer B/F) or a 503 (RFC 3263 §4.3); returns the first other outcome, or the last one when every
    /// target failed. A cancelled INVITE is not retried elsewhere.
    /// </summary>
    /// <param name="request">The request, without a Via (the layer adds one per attempt).</param>
    /// <param name="targets">At least one target.</param>
    /// <param name="onProvisional">Called for each provisional response of the attempt in progress.</param>
    /// <param name="cancellationToken">Cancels as in <see cref="SendRequestAsync(SipRequest, SipTarget, Action{SipResponse}?, CancellationToken)"/>.</param>
    /// <exception cref="ArgumentException">No targets, or the request is an ACK or lacks Call-ID/CSeq/From/To.</exception>
    public async Task<TransactionOutcome> SendRequestAsync(SipRequest request, IReadOnlyList<SipTarget> targets,
        Action<SipResponse>? onProvisional = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) throw new ArgumentException("at least one target is needed", nameof(targets));
        TransactionOutcome? outcome = null;
        for (var i = 0; i < targets.Count; i++)
        {
            outcome = await SendRequestAsync(request, targets[i], onProvisional, cancellationToken).ConfigureAwait(false);
            var retry = outcome.Kind is TransactionOutcomeKind.TransportError or TransactionOutcomeKind.Timeout
                || outcome.Response?.StatusCode == 503;
            if (!retry || cancellationToken.IsCancellationRequested) return outcome;
            if (i + 1 < targets.Count)
            {
                Log.FailingOver(Logger, request.Method, targets[i].ToString(), outcome.Error ?? outcome.StatusCode.ToString(CultureInfo.InvariantCulture),
                    targets[i + 1].ToString());
            }
        }
        return outcome!;
    }

    /// <summary>Sends an ACK for a 2xx (RFC 3261 §13.2.2.4) over UDP outside any transaction, with a new top Via.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The transport could not send.</exception>
    public ValueTask SendAckAsync(SipRequest ack, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return SendAckAsync(ack, new SipTarget(destination, SipTransportProtocol.Udp), cancellationToken);
    }

    /// <summary>Sends an ACK for a 2xx (RFC 3261 §13.2.2.4) to <paramref name="target"/> outside any transaction, with a new top Via.</summary>
    /// <exception cref="InvalidOperationException">No transport for the target's protocol.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The transport could not send.</exception>
    /// <exception cref="IOException">The connection broke.</exception>
    public async ValueTask SendAckAsync(SipRequest ack, SipTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        ArgumentNullException.ThrowIfNull(target);
        var transport = FindTransport(target.Protocol) ?? throw new InvalidOperationException($"no {target.ViaName} transport is configured to reach {target}");
        var hop = new Hop(transport, target);
        var prepared = Prepare(ack, hop, SipIds.NewBranch());
        await transport.SendAsync(SipSerializer.Serialize(prepared), target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops receiving, ends every transaction (pending client outcomes become transport errors) and disposes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var tx in _clients.Values) tx.Terminate();
        _servers.TerminateAll();
        foreach (var transport in Transports) await transport.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// The receive path: parse, answer parse errors, match transactions (RFC 3261 §17.1.3, §17.2.3); responses are matched
    /// here, requests and parse errors in <see cref="ServerTransactionTable"/>.
    /// </summary>
    private void OnDatagram(ISipTransport transport, ReadOnlyMemory<byte> datagram, IPEndPoint remote)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        var data = datagram.Span;
        var trimmed = data.TrimStart("\r\n"u8);
        if (trimmed.IsEmpty) return; // keep-alive CRLFs (RFC 5626 §4.4.1)
        if (!SipParser.TryParse(data, out var message, out var error, out var rawHeaders))
        {
            _servers.HandleParseError(transport, trimmed, remote, error, rawHeaders);
            return;
        }
        var incoming = new IncomingMessage(message!, transport.LocalEndPoint, remote, transport.Protocol, Time.GetUtcNow());
        if (message is SipResponse) HandleResponse(incoming);
        else _servers.HandleRequest(transport, incoming, remote);
    }

    /// <summary>Matches a response to its client transaction (RFC 3261 §17.1.3); a 2xx to INVITE without one goes to the TU.</summary>
    private void HandleResponse(IncomingMessage incoming)
    {
        var response = (SipResponse)incoming.Message;
        var top = response.Vias.Count > 0 ? response.Vias[0] : null;
        var method = response.CSeq?.Method ?? "";
        if (top?.Branch is { } branch && _clients.TryGetValue(ClientKey(branch, method), out var client))
        {
            client.OnResponse(incoming);
            return;
        }
        if (method == SipMethods.Invite && response.IsSuccess)
        {
            NotifyStray(incoming);
            return;
        }
        Log.UnmatchedResponse(Logger, response.StatusCode, method, incoming.Remote);
    }

    internal ITimer CreateTimer(Action callback) =>
        Time.CreateTimer(_ => InvokeSafely(callback, "timer"), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    internal async Task<bool> TrySendAsync(Hop hop, byte[] bytes) => await SendOrErrorAsync(hop, bytes).ConfigureAwait(false) is null;

    /// <summary>Sends on the hop's transport; null on success, else the error (logged), never an exception.</summary>
    internal async Task<string?> SendOrErrorAsync(Hop hop, byte[] bytes)
    {
        try
        {
            await hop.Transport.SendAsync(bytes, hop.Target).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException or IOException
                                       or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            var error = ex is SocketException socket ? socket.SocketErrorCode + " (" + ex.Message + ")" : ex.Message;
            Log.SendFailed(Logger, hop.Target.EndPoint, error);
            return error;
        }
    }

    private ISipTransport? FindTransport(SipTransportProtocol protocol)
    {
        foreach (var transport in Transports)
        {
            if (transport.Protocol == protocol) return transport;
        }
        return null;
    }

    internal void InvokeSafely(Action action, string name)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Log.CallbackFailed(Logger, name, ex);
        }
    }

    internal void NotifyStray(IncomingMessage incoming) => InvokeSafely(() => User.OnStrayResponse(incoming), nameof(ITransactionUser.OnStrayResponse));

    internal void StartCancel(SipRequest cancel, Hop hop)
    {
        var branch = cancel.Vias[0].Branch ?? SipIds.NewBranch();
        var key = ClientKey(branch, SipMethods.Cancel);
        var tx = new ClientNonInviteTransaction(this, key, cancel, hop, null);
        _clients[key] = tx;
        _ = tx.StartAsync();
    }

    internal void Forget(ClientTransactionMachine tx) => _clients.TryRemove(new KeyValuePair<string, ClientTransactionMachine>(tx.Key, tx));

    internal void Forget(ServerTransactionMachine tx) => _servers.Forget(tx);

    internal static string ClientKey(string branch, string method) => branch + "|" + method;

    internal static string AckKeyFor(string? callId, uint? sequence) => callId + "|" + sequence;

    private SipRequest Prepare(SipRequest request, Hop hop, string branch)
    {
        var local = hop.Transport.LocalEndPoint;
        var host = Options.ViaHost ?? LocalAddressToward(local, hop.Target.EndPoint).ToString();
        if (host.Contains(':') && !host.StartsWith('[')) host = "[" + host + "]";
        var via = $"SIP/2.0/{SipTarget.ProtocolName(hop.Transport.Protocol)} {host}:{local.Port};branch={branch};rport";
        var headers = new List<SipHeader>(request.Headers.Count + 2) { new("Via", via) };
        headers.AddRange(request.Headers);
        if (request.MaxForwards is null) headers.Add(new SipHeader("Max-Forwards", "70"));
        return request with { Headers = headers };
    }

    private static IPAddress LocalAddressToward(IPEndPoint local, IPEndPoint destination)
    {
        if (!local.Address.Equals(IPAddress.Any) && !local.Address.Equals(IPAddress.IPv6Any)) return local.Address;
        try
        {
            using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(destination);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return destination.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }
    }
}
