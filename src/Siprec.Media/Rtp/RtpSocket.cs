using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Sockets;

namespace Siprec.Media.Rtp;

/// <summary>
/// One UDP socket for RTP (RFC 3550 §11: RTP on an even port, RTCP on the next odd one).
/// Received datagrams go to a handler: on Linux from the process's <see cref="Sockets.RtpReceiveEngine"/> (epoll +
/// recvmmsg on a few threads shared by every socket), elsewhere from a receive loop of its own; sends are synchronous
/// and never block.
/// Neither direction throws on network errors: they are counted and logged.
/// </summary>
public sealed class RtpSocket : IAsyncDisposable
{
    /// <summary>The most datagrams one <see cref="SendBatch"/> takes.</summary>
    public const int MaxBatch = 64;

    /// <summary>Receive buffer size in bytes: the largest UDP payload.</summary>
    private const int MaxDatagram = 65_536;
    /// <summary>Consecutive receive errors after which the socket is considered broken and the loop ends.</summary>
    private const int MaxConsecutiveReceiveErrors = 10_000;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveLoop;
    private long _packetsReceived;
    private long _packetsSent;
    private long _sendErrors;
    private long _receiveErrors;
    private long _portUnreachable;
    private IPEndPoint? _connectedTo;
    private int _disposed;
    private RtpSendMmsg.PeerAddress? _batchAddress;
    private RtpReceiveEngine.Registration? _registration;

    private RtpSocket(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Log.SocketBound(_logger, LocalEndPoint);
    }

    /// <summary>The bound address and port (put this port on the SDP m-line).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams handed to the handler.</summary>
    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    /// <summary>Datagrams accepted by the kernel for sending.</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>Sends that failed (unreachable, buffer full, socket closed); the packet is dropped.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Receive errors ignored by the loop (ICMP resets, truncated datagrams).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>
    /// ICMP port-unreachable (or host-unreachable) reports seen on this socket: on Linux an ICMP error for an earlier
    /// datagram fails the next receive or send with ConnectionRefused (ConnectionReset on other systems); both count here.
    /// Also counted in <see cref="ReceiveErrors"/> or <see cref="SendErrors"/>.
    /// </summary>
    public long PortUnreachableCount => Interlocked.Read(ref _portUnreachable);

    /// <summary>
    /// Raised, on the receive loop or the sending thread, for each error counted in <see cref="PortUnreachableCount"/>:
    /// the peer's port is closed. Handlers must not block; exceptions are logged and swallowed.
    /// </summary>
    public event Action<RtpSocket>? PortUnreachable;

    /// <summary>Binds a UDP socket; with <paramref name="port"/> 0 an even free port is chosen (RFC 3550 §11).</summary>
    /// <param name="address">Local address, e.g. <see cref="IPAddress.Loopback"/>.</param>
    /// <param name="port">The port, or 0 for an even ephemeral one.</param>
    /// <exception cref="SocketException">The port is taken, or no even port could be found.</exception>
    public static RtpSocket Bind(IPAddress address, int port = 0) => Bind(address, port, null);

    /// <summary>Binds a UDP socket as <see cref="Bind(IPAddress, int)"/> does, logging to <paramref name="logger"/>.</summary>
    /// <param name="address">Local address.</param>
    /// <param name="port">The port, or 0 for an even ephemeral one.</param>
    /// <param name="logger">Receives send failures and handler errors; null for none.</param>
    /// <exception cref="SocketException">The port is taken, or no even port could be found.</exception>
    public static RtpSocket Bind(IPAddress address, int port, ILogger<RtpSocket>? logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return new RtpSocket(RtpPortBinding.OpenEven(address, port), logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>
    /// Binds an RTP socket on an even port and its RTCP socket on the next odd port (RFC 3550 §11), retrying with other
    /// ephemeral ports while the odd neighbour is taken.
    /// </summary>
    /// <param name="address">Local address, e.g. <see cref="IPAddress.Loopback"/>.</param>
    /// <param name="logger">Receives send failures and handler errors of both sockets; null for none.</param>
    /// <exception cref="SocketException">No free even/odd pair was found.</exception>
    public static (RtpSocket Rtp, RtpSocket Rtcp) BindPair(IPAddress address, ILogger<RtpSocket>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        return RtpPortBinding.BindPair(address, socket => new RtpSocket(socket, log));
    }

    /// <summary>
    /// Binds an RTP socket on an even port of <paramref name="ports"/> (RFC 3550 §11), or an even ephemeral port when
    /// <paramref name="ports"/> is null (as <see cref="Bind(IPAddress, int)"/>).
    /// </summary>
    /// <param name="address">Local address.</param>
    /// <param name="ports">The operator's RTP port range; null for the ephemeral range.</param>
    /// <param name="logger">Receives send failures and handler errors; null for none.</param>
    /// <exception cref="RtpPortsExhaustedException">Every even port of <paramref name="ports"/> is taken.</exception>
    /// <exception cref="SocketException">Without a range: no even port could be found.</exception>
    public static RtpSocket Bind(IPAddress address, RtpPortRange? ports, ILogger<RtpSocket>? logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (ports is null) return Bind(address, 0, logger);
        return new RtpSocket(RtpPortBinding.OpenInRange(address, ports), logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>
    /// Binds an RTP socket on an even port of <paramref name="ports"/> and its RTCP socket on the next odd one
    /// (RFC 3550 §11); with <paramref name="ports"/> null, as <see cref="BindPair(IPAddress, ILogger{RtpSocket})"/>.
    /// </summary>
    /// <param name="address">Local address.</param>
    /// <param name="ports">The operator's RTP port range; null for the ephemeral range.</param>
    /// <param name="logger">Receives send failures and handler errors of both sockets; null for none.</param>
    /// <exception cref="RtpPortsExhaustedException">No pair of <paramref name="ports"/> is free.</exception>
    /// <exception cref="SocketException">Without a range: no free even/odd pair was found.</exception>
    public static (RtpSocket Rtp, RtpSocket Rtcp) BindPair(IPAddress address, RtpPortRange? ports, ILogger<RtpSocket>? logger)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (ports is null) return BindPair(address, logger);
        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        var (rtp, rtcp) = RtpPortBinding.OpenPairInRange(address, ports);
        return (new RtpSocket(rtp, log), new RtpSocket(rtcp, log));
    }

    /// <summary>The peer set by <see cref="Connect"/>; null while the socket is unconnected.</summary>
    public IPEndPoint? ConnectedTo => Volatile.Read(ref _connectedTo);

    /// <summary>
    /// Restricts the socket to one peer (UDP <c>connect(2)</c>; may be called again to change it). Linux reports ICMP
    /// errors (port unreachable) only to connected UDP sockets (without IP_RECVERR), so this is what makes
    /// <see cref="PortUnreachableCount"/> work; datagrams from other sources are then dropped by the kernel.
    /// Never throws for network reasons: a failure is logged and the socket stays as it was.
    /// </summary>
    /// <param name="remote">The only peer from now on.</param>
    /// <returns>True when the kernel accepted the peer.</returns>
    public bool Connect(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote.Equals(ConnectedTo)) return true;
        if (Volatile.Read(ref _disposed) != 0) return false;
        try
        {
            _socket.Connect(remote);
            Volatile.Write(ref _connectedTo, remote);
            return true;
        }
        catch (SocketException ex)
        {
            Log.ConnectFailed(_logger, LocalEndPoint, remote, ex.SocketErrorCode);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Starts the background receive loop. It stops only on <see cref="DisposeAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The loop was already started.</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    public void Start(RtpPacketHandler onPacket)
    {
        ArgumentNullException.ThrowIfNull(onPacket);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Sockets.LinuxSockets.IsSupported)
        {
            StartOnEngine(onPacket);
            return;
        }
        var loop = new Task<Task>(() => ReceiveLoopAsync(onPacket, _stop.Token));
        if (Interlocked.CompareExchange(ref _receiveLoop, loop.Unwrap(), null) is not null)
            throw new InvalidOperationException("the RTP receive loop is already running");
        loop.Start(TaskScheduler.Default);
    }

    /// <summary>
    /// Sends one datagram without blocking. A failure (full buffer, unreachable, closed socket) drops the
    /// packet, increments <see cref="SendErrors"/> and is logged; it never throws for network reasons.
    /// </summary>
    /// <param name="packet">The whole datagram.</param>
    /// <param name="remote">Destination address and port.</param>
    public void Send(ReadOnlySpan<byte> packet, IPEndPoint remote) => TrySend(packet, remote);

    /// <summary>
    /// Sends one datagram as <see cref="Send"/> does and says whether the kernel accepted it. A send that fails because
    /// an ICMP port-unreachable arrived for an earlier datagram also counts in <see cref="PortUnreachableCount"/>.
    /// </summary>
    /// <param name="packet">The whole datagram.</param>
    /// <param name="remote">Destination address and port.</param>
    /// <returns>True when the datagram was handed to the kernel.</returns>
    public bool TrySend(ReadOnlySpan<byte> packet, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Increment(ref _sendErrors);
            return false;
        }
        try
        {
            if (remote.Equals(Volatile.Read(ref _connectedTo))) _socket.Send(packet, SocketFlags.None);
            else _socket.SendTo(packet, SocketFlags.None, remote);
            Interlocked.Increment(ref _packetsSent);
            return true;
        }
        catch (SocketException ex)
        {
            Interlocked.Increment(ref _sendErrors);
            if (IsPortUnreachable(ex.SocketErrorCode))
            {
                Log.SendPortUnreachable(_logger, LocalEndPoint, remote, ex.SocketErrorCode);
                OnPortUnreachable();
            }
            else
            {
                Log.SendFailed(_logger, LocalEndPoint, remote, ex.SocketErrorCode);
            }
            return false;
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
            return false;
        }
    }

    // Several datagrams to one peer in one system call (sendmmsg(2) on Linux, a loop of sends elsewhere).
    /// <summary>
    /// Sends <paramref name="lengths"/>.Length datagrams laid out back to back in <paramref name="packets"/> to
    /// <paramref name="remote"/>, in order: on Linux with one sendmmsg(2) call, elsewhere one send each. Counts and
    /// reports failures as <see cref="TrySend"/> does; never throws for network reasons.
    /// </summary>
    /// <param name="packets">The datagrams, first to last, with nothing between them.</param>
    /// <param name="lengths">Each datagram's length in bytes; their sum must not exceed <paramref name="packets"/>.Length.</param>
    /// <param name="remote">Destination address and port.</param>
    /// <returns>Datagrams the kernel accepted (the first ones; a failure drops the rest of the batch).</returns>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="MaxBatch"/> datagrams, or lengths beyond the buffer.</exception>
    public int SendBatch(ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lengths.Length, MaxBatch);
        long total = 0;
        foreach (int length in lengths)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length);
            total += length;
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(total, packets.Length, nameof(lengths));
        if (lengths.IsEmpty) return 0;
        if (!LinuxSockets.IsSupported || lengths.Length == 1) return SendLoop(packets, lengths, remote);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Add(ref _sendErrors, lengths.Length);
            return 0;
        }
        // A connected socket (the forwarder's) sends without an address; otherwise the peer's sockaddr, kept per peer.
        byte[]? address = remote.Equals(Volatile.Read(ref _connectedTo)) ? null : RtpSendMmsg.AddressOf(ref _batchAddress, remote);
        int sent = RtpSendMmsg.Send(_socket, packets, lengths, address, out int errno);
        Interlocked.Add(ref _packetsSent, sent);
        if (sent < lengths.Length)
        {
            Interlocked.Add(ref _sendErrors, lengths.Length - sent);
            var error = LinuxSockets.ToSocketError(errno);
            if (IsPortUnreachable(error))
            {
                Log.SendPortUnreachable(_logger, LocalEndPoint, remote, error);
                OnPortUnreachable();
            }
            else
            {
                Log.SendFailed(_logger, LocalEndPoint, remote, error);
            }
        }
        return sent;
    }

    private int SendLoop(ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths, IPEndPoint remote)
    {
        int sent = 0, offset = 0;
        foreach (int length in lengths)
        {
            if (!TrySend(packets.Slice(offset, length), remote)) break;
            offset += length;
            sent++;
        }
        return sent;
    }

    /// <summary>Stops the receive loop and closes the socket. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        StopOnEngine();
        _socket.Dispose();
        var loop = Volatile.Read(ref _receiveLoop);
        if (loop is not null) await loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    // Receiving through the shared Linux receive engine instead of a loop per socket.
    private void StartOnEngine(RtpPacketHandler onPacket)
    {
        if (Interlocked.CompareExchange(ref _receiveLoop, Task.CompletedTask, null) is not null)
            throw new InvalidOperationException("the RTP receive loop is already running");
        Volatile.Write(ref _registration, RtpReceiveEngine.Shared.Register(_socket, new EngineSink(this, onPacket)));
    }

    // After this no engine thread calls the handler (unless the caller is the handler itself).
    private void StopOnEngine()
    {
        if (Volatile.Read(ref _registration) is { } registration) registration.Engine.Unregister(registration);
    }

    private sealed class EngineSink(RtpSocket owner, RtpPacketHandler onPacket) : RtpReceiveEngine.IDatagramSink
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
        {
            Interlocked.Increment(ref owner._packetsReceived);
            try
            {
                onPacket(datagram, remote);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(owner._logger, ex, owner.LocalEndPoint);
            }
        }

        public void OnReceiveError(SocketError error)
        {
            // ICMP port unreachable and truncated datagrams concern one packet, not the socket (as in the managed loop).
            Interlocked.Increment(ref owner._receiveErrors);
            Log.ReceiveErrorIgnored(owner._logger, owner.LocalEndPoint, error);
            if (IsPortUnreachable(error)) owner.OnPortUnreachable();
        }
    }

    private async Task ReceiveLoopAsync(RtpPacketHandler onPacket, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        var address = new SocketAddress(_socket.AddressFamily);
        SocketAddress? lastAddress = null;
        IPEndPoint? lastRemote = null;
        int consecutiveErrors = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, address, ct).ConfigureAwait(false);
                }
                catch (SocketException ex) when (!ct.IsCancellationRequested)
                {
                    // ICMP port unreachable (ConnectionReset), truncated datagrams (MessageSize) and the like
                    // concern one packet, not the socket.
                    Interlocked.Increment(ref _receiveErrors);
                    Log.ReceiveErrorIgnored(_logger, LocalEndPoint, ex.SocketErrorCode);
                    if (IsPortUnreachable(ex.SocketErrorCode)) OnPortUnreachable();
                    if (++consecutiveErrors >= MaxConsecutiveReceiveErrors) throw;
                    continue;
                }
                consecutiveErrors = 0;

                if (lastAddress is null || !lastAddress.Equals(address))
                {
                    // One allocation per new peer, not per packet.
                    lastAddress = new SocketAddress(address.Family, address.Size);
                    address.Buffer.Span.CopyTo(lastAddress.Buffer.Span);
                    lastRemote = (IPEndPoint)LocalEndPoint.Create(lastAddress);
                }

                Interlocked.Increment(ref _packetsReceived);
                try
                {
                    onPacket(buffer.AsSpan(0, received), lastRemote!);
                }
                catch (Exception ex)
                {
                    Log.HandlerFailed(_logger, ex, LocalEndPoint);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (ct.IsCancellationRequested)
        {
        }
        catch (SocketException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.ReceiveLoopFailed(_logger, ex, LocalEndPoint);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsPortUnreachable(SocketError error) =>
        error is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable;

    private void OnPortUnreachable()
    {
        Interlocked.Increment(ref _portUnreachable);
        try
        {
            PortUnreachable?.Invoke(this);
        }
        catch (Exception ex)
        {
            Log.PortUnreachableHandlerFailed(_logger, ex, LocalEndPoint);
        }
    }
}
