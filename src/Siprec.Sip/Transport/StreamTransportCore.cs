using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Transport;

/// <summary>
/// What TCP and TLS share (RFC 3261 §18.3): a listener, one connection per remote endpoint reused in both
/// directions, connects bounded by <see cref="StreamTransportOptions.ConnectTimeout"/>, accepted connections capped in
/// total and per source address (<see cref="ConnectionAdmission"/>). The wrap step turns a connected socket into the
/// stream to use (plain, or TLS after the handshake).
/// </summary>
internal sealed class StreamTransportCore : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, SipTarget?, CancellationToken, Task<Stream>> _wrap;
    private readonly ConcurrentDictionary<IPEndPoint, StreamConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, Task<StreamConnection>> _connecting = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionAdmission _admission;
    private DatagramHandler? _handler;
    private Task? _acceptLoop;
    private int _disposed;

    public StreamTransportCore(string protocol, IPEndPoint bindTo, StreamTransportOptions options, TimeProvider time, ILogger logger,
        Func<Socket, SipTarget?, CancellationToken, Task<Stream>> wrap)
    {
        Protocol = protocol;
        Options = options;
        Time = time;
        Logger = logger;
        _wrap = wrap;
        _admission = new ConnectionAdmission(options, time);
        _listener = new Socket(bindTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(bindTo);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public string Protocol { get; }

    public IPEndPoint LocalEndPoint { get; }

    public StreamTransportOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public int ConnectionCount => _connections.Count;

    public long RefusedConnections => _admission.Refused;

    public void Start(DatagramHandler onDatagram)
    {
        ArgumentNullException.ThrowIfNull(onDatagram);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.CompareExchange(ref _handler, onDatagram, null) is not null) throw new InvalidOperationException("the transport is already started");
        _listener.Listen(128);
        Log.StreamListening(Logger, Protocol, LocalEndPoint);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, SipTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = await GetOrConnectAsync(target, cancellationToken).ConfigureAwait(false);
        await connection.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    internal void Deliver(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        try
        {
            _handler?.Invoke(message, remote);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(Logger, message.Length, remote, ex);
        }
    }

    internal void Remove(StreamConnection connection)
    {
        _connections.TryRemove(new KeyValuePair<IPEndPoint, StreamConnection>(connection.Remote, connection));
        if (connection.Inbound) _admission.Release(connection.Remote.Address);
    }

    private async Task<StreamConnection> GetOrConnectAsync(SipTarget target, CancellationToken cancellationToken)
    {
        var key = Normalize(target.EndPoint);
        if (_connections.TryGetValue(key, out var existing) && !existing.IsClosed) return existing;
        var pending = _connecting.GetOrAdd(key, _ => ConnectAsync(target, key));
        try
        {
            return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (pending.IsCompleted) _connecting.TryRemove(new KeyValuePair<IPEndPoint, Task<StreamConnection>>(key, pending));
        }
    }

    private async Task<StreamConnection> ConnectAsync(SipTarget target, IPEndPoint key)
    {
        await Task.Yield();
        using var timeout = new CancellationTokenSource(Options.ConnectTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        var socket = new Socket(key.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(key, linked.Token).ConfigureAwait(false);
            var stream = await _wrap(socket, target, linked.Token).ConfigureAwait(false);
            var connection = new StreamConnection(this, socket, stream, key, outbound: true);
            _connections[key] = connection;
            connection.Start();
            Log.Connected(Logger, Protocol, key);
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IOException($"{Protocol} connect to {target} timed out after {Options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                Log.AcceptFailed(Logger, Protocol, LocalEndPoint, ex.SocketErrorCode.ToString());
                continue;
            }
            _ = Task.Run(() => AcceptOneAsync(socket));
        }
    }

    private async Task AcceptOneAsync(Socket socket)
    {
        var remote = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        if (_admission.TryAdmit(remote.Address) is { } refusal)
        {
            // Closed before any TLS handshake or read: an over-cap connection costs one accept and one close.
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
            _admission.LogRefusal(Logger, Protocol, remote, refusal);
            return;
        }
        try
        {
            socket.NoDelay = true;
            using var timeout = new CancellationTokenSource(Options.ConnectTimeout, Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
            var stream = await _wrap(socket, null, linked.Token).ConfigureAwait(false);
            var connection = new StreamConnection(this, socket, stream, remote, outbound: false);
            _connections[remote] = connection;
            connection.Start();
            Log.Accepted(Logger, Protocol, remote);
        }
        catch (Exception ex)
        {
            Log.InboundRejected(Logger, Protocol, remote, ex.Message);
            socket.Dispose();
            _admission.Release(remote.Address);
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var connection in _connections.Values) connection.Close("transport stopped");
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        Log.StreamStopped(Logger, Protocol, LocalEndPoint);
        _stop.Dispose();
    }
}
