using System.Collections.Concurrent;
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
public sealed partial class TransactionLayer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ClientNonInviteTransaction> _nonInviteClients = new();
    private readonly ConcurrentDictionary<string, ClientInviteTransaction> _inviteClients = new();
    private readonly ConcurrentDictionary<string, IServerTransactionMachine> _servers = new();
    private readonly ConcurrentDictionary<string, ServerTransaction> _serverHandles = new();
    private readonly ConcurrentDictionary<string, ServerInviteTransaction> _acceptedByAckKey = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _started;
    private int _disposed;

    /// <summary>Creates the layer; call <see cref="Start"/> to begin receiving.</summary>
    /// <param name="transport">The transport; disposed with the layer.</param>
    /// <param name="user">Receives requests, 2xx ACKs, stray responses and cancellations.</param>
    /// <param name="time">The clock for Timers A..M.</param>
    /// <param name="options">T1/T2/T4; validated here.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="ArgumentOutOfRangeException">Invalid timer options.</exception>
    public TransactionLayer(ISipTransport transport, ITransactionUser user, TimeProvider time, SipTransactionOptions options, ILogger<TransactionLayer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Transport = transport;
        User = user;
        Time = time;
        Options = options;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The transport this layer sends and receives on.</summary>
    public ISipTransport Transport { get; }

    internal ITransactionUser User { get; }

    internal TimeProvider Time { get; }

    internal SipTransactionOptions Options { get; }

    internal ILogger Logger { get; }

    /// <summary>Starts receiving from the transport.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("the transaction layer is already started");
        Transport.Start(OnDatagram);
    }

    /// <summary>
    /// Sends <paramref name="request"/> in a new client transaction: inserts the top Via (transport address, new
    /// branch, <c>rport</c>) and Max-Forwards when missing. INVITE: returns the first final response, ACKs a non-2xx
    /// itself (the 2xx ACK is the dialog's), and on cancellation sends CANCEL (after a provisional) and still returns
    /// the final response. Non-INVITE: cancellation abandons the transaction and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request is an ACK (use <see cref="SendAckAsync"/>) or lacks Call-ID/CSeq/From/To.</exception>
    public async Task<TransactionOutcome> SendRequestAsync(SipRequest request, IPEndPoint destination,
        Action<SipResponse>? onProvisional = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (request.Method == SipMethods.Ack) throw new ArgumentException("ACK is not a transaction; use SendAckAsync", nameof(request));
        if (request.CSeq is null || request.CallId is null || request.From is null || request.To is null)
        {
            throw new ArgumentException("a request needs Call-ID, CSeq, From and To", nameof(request));
        }
        cancellationToken.ThrowIfCancellationRequested();
        var branch = SipIds.NewBranch();
        var prepared = Prepare(request, destination, branch);
        var key = ClientKey(branch, request.Method);
        if (request.Method == SipMethods.Invite)
        {
            var tx = new ClientInviteTransaction(this, key, prepared, destination, onProvisional);
            _inviteClients[key] = tx;
            await using var registration = cancellationToken.Register(tx.RequestCancel).ConfigureAwait(false);
            await tx.StartAsync().ConfigureAwait(false);
            return await tx.Outcome.ConfigureAwait(false);
        }
        else
        {
            var tx = new ClientNonInviteTransaction(this, key, prepared, destination, onProvisional);
            _nonInviteClients[key] = tx;
            await using var registration = cancellationToken.Register(tx.Abandon).ConfigureAwait(false);
            await tx.StartAsync().ConfigureAwait(false);
            return await tx.Outcome.ConfigureAwait(false);
        }
    }

    /// <summary>Sends an ACK for a 2xx (RFC 3261 §13.2.2.4) outside any transaction, with a new top Via.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The transport could not send.</exception>
    public async ValueTask SendAckAsync(SipRequest ack, IPEndPoint destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ack);
        ArgumentNullException.ThrowIfNull(destination);
        var prepared = Prepare(ack, destination, SipIds.NewBranch());
        await Transport.SendAsync(SipSerializer.Serialize(prepared), destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops receiving, ends every transaction (pending client outcomes become transport errors) and disposes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var tx in _inviteClients.Values) tx.Terminate();
        foreach (var tx in _nonInviteClients.Values) tx.Terminate();
        foreach (var tx in _servers.Values) tx.Terminate();
        await Transport.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal ITimer CreateTimer(Action callback) =>
        Time.CreateTimer(_ => InvokeSafely(callback, "timer"), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    internal async Task<bool> TrySendAsync(byte[] bytes, IPEndPoint destination)
    {
        try
        {
            await Transport.SendAsync(bytes, destination).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            Log.SendFailed(Logger, destination, ex.Message);
            return false;
        }
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

    internal void StartCancel(SipRequest cancel, IPEndPoint destination)
    {
        var branch = cancel.Vias[0].Branch ?? SipIds.NewBranch();
        var key = ClientKey(branch, SipMethods.Cancel);
        var tx = new ClientNonInviteTransaction(this, key, cancel, destination, null);
        _nonInviteClients[key] = tx;
        _ = tx.StartAsync();
    }

    internal void Forget(ClientNonInviteTransaction tx) => _nonInviteClients.TryRemove(new KeyValuePair<string, ClientNonInviteTransaction>(tx.Key, tx));

    internal void Forget(ClientInviteTransaction tx) => _inviteClients.TryRemove(new KeyValuePair<string, ClientInviteTransaction>(tx.Key, tx));

    internal void Forget(ServerNonInviteTransaction tx)
    {
        _servers.TryRemove(new KeyValuePair<string, IServerTransactionMachine>(tx.Key, tx));
        _serverHandles.TryRemove(tx.Key, out _);
    }

    internal void Forget(ServerInviteTransaction tx)
    {
        _servers.TryRemove(new KeyValuePair<string, IServerTransactionMachine>(tx.Key, tx));
        _serverHandles.TryRemove(tx.Key, out _);
        _acceptedByAckKey.TryRemove(new KeyValuePair<string, ServerInviteTransaction>(tx.AckKey, tx));
    }

    internal static string ClientKey(string branch, string method) => branch + "|" + method;

    internal static string AckKeyFor(string? callId, uint? sequence) => callId + "|" + sequence;

    private SipRequest Prepare(SipRequest request, IPEndPoint destination, string branch)
    {
        var local = Transport.LocalEndPoint;
        var host = Options.ViaHost ?? LocalAddressToward(local, destination).ToString();
        if (host.Contains(':') && !host.StartsWith('[')) host = "[" + host + "]";
        var via = $"SIP/2.0/{Transport.Protocol} {host}:{local.Port};branch={branch};rport";
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
