using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 §18.3): listens and connects, one connection per remote endpoint reused for requests and
/// responses in both directions, messages framed by Content-Length, CRLF keep-alive (RFC 5626 §4.4.1), idle and header-read
/// timeouts, and caps on accepted connections in total and per source address (<see cref="StreamTransportOptions"/>).
/// </summary>
public sealed class TcpSipTransport : ISipTransport
{
    private readonly StreamTransportCore _core;

    /// <summary>Binds the listening socket to <paramref name="bindTo"/> (port 0 picks a free port); <see cref="Start"/> listens.</summary>
    /// <param name="bindTo">The local address and port.</param>
    /// <param name="options">Limits and timers; null uses the defaults. Validated here.</param>
    /// <param name="time">The clock for connect, idle and keep-alive timers; null uses the system clock.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public TcpSipTransport(IPEndPoint bindTo, StreamTransportOptions? options = null, TimeProvider? time = null, ILogger<TcpSipTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bindTo);
        options ??= new StreamTransportOptions();
        options.Validate();
        _core = new StreamTransportCore("TCP", bindTo, options, time ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance,
            static (socket, _, _) => Task.FromResult<Stream>(new NetworkStream(socket, ownsSocket: true)));
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => _core.LocalEndPoint;

    /// <inheritdoc />
    public SipTransportProtocol Protocol => SipTransportProtocol.Tcp;

    /// <inheritdoc />
    public bool IsReliable => true;

    /// <summary>Open connections (inbound and outbound).</summary>
    public int ConnectionCount => _core.ConnectionCount;

    /// <summary>
    /// Accepted connections closed at once since start because they would exceed
    /// <see cref="StreamTransportOptions.MaxInboundConnections"/> or <see cref="StreamTransportOptions.MaxInboundConnectionsPerAddress"/>.
    /// </summary>
    public long RefusedConnections => _core.RefusedConnections;

    /// <inheritdoc />
    public void Start(DatagramHandler onDatagram) => _core.Start(onDatagram);

    /// <summary>Sends one message over the connection to <paramref name="remote"/>, connecting first when there is none.</summary>
    /// <exception cref="SocketException">The connection was refused.</exception>
    /// <exception cref="IOException">The connect timed out or the connection broke.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        _core.SendAsync(data, new SipTarget(remote, SipTransportProtocol.Tcp), cancellationToken);

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, SipTarget target, CancellationToken cancellationToken = default) =>
        _core.SendAsync(data, target, cancellationToken);

    /// <summary>Stops listening and closes every connection.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync();
}
