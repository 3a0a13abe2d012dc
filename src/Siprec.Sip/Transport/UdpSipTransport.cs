using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one socket, one receive loop on a background task. A bad datagram, a failing
/// handler or an ICMP port-unreachable never ends the loop; only <see cref="DisposeAsync"/> does.
/// </summary>
public sealed class UdpSipTransport : ISipTransport
{
    private const int MaxDatagram = 65535;
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _disposed;

    /// <summary>Binds a UDP socket to <paramref name="bindTo"/> (port 0 picks a free port).</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local).</exception>
    public UdpSipTransport(IPEndPoint bindTo, ILogger<UdpSipTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bindTo);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(bindTo);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc />
    public SipTransportProtocol Protocol => SipTransportProtocol.Udp;

    /// <inheritdoc />
    public void Start(DatagramHandler onDatagram)
    {
        ArgumentNullException.ThrowIfNull(onDatagram);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_loop is not null) throw new InvalidOperationException("the transport is already started");
        Log.Listening(_logger, LocalEndPoint);
        _loop = Task.Run(() => ReceiveLoopAsync(onDatagram, _stop.Token));
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _socket.SendToAsync(data, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(DatagramHandler onDatagram, CancellationToken ct)
    {
        var buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused
                                                 or SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                Log.ReceiveErrorIgnored(_logger, LocalEndPoint, ex.SocketErrorCode.ToString());
                continue;
            }
            catch (SocketException ex)
            {
                if (ct.IsCancellationRequested) break;
                Log.ReceiveFailed(_logger, LocalEndPoint, ex);
                continue;
            }
            var remote = (IPEndPoint)result.RemoteEndPoint;
            try
            {
                onDatagram(buffer.AsMemory(0, result.ReceivedBytes), remote);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, result.ReceivedBytes, remote, ex);
            }
        }
        Log.Stopped(_logger, LocalEndPoint);
    }

    /// <summary>Stops the receive loop, waits for it, and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }
}
