using System.Net;

namespace Siprec.Sip.Transport;

/// <summary>
/// The port to the network (RFC 3261 §18): moves bytes only. It neither parses nor retransmits; the
/// transaction layer above does that. Stream transports hand each framed message to the handler as one "datagram".
/// </summary>
public interface ISipTransport : IAsyncDisposable
{
    /// <summary>The bound local endpoint (the real port when 0 was asked for).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The transport; its Via token is <see cref="SipTarget.ProtocolName"/>.</summary>
    SipTransportProtocol Protocol { get; }

    /// <summary>
    /// True for TCP and TLS: the transaction layer then runs no retransmission timers (A, E, G) and sets Timers D, I,
    /// J and K to zero (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).
    /// </summary>
    bool IsReliable => false;

    /// <summary>Starts receiving; exceptions from <paramref name="onDatagram"/> are caught and logged, never stop the loop.</summary>
    /// <exception cref="InvalidOperationException">Already started or disposed.</exception>
    void Start(DatagramHandler onDatagram);

    /// <summary>Sends one datagram to <paramref name="remote"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The network refused the send; callers map it to a transport error.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one message to <paramref name="target"/>; stream transports reuse or open a connection and TLS checks the
    /// certificate against <see cref="SipTarget.TlsHostName"/>. The default ignores the extra target fields.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">The network refused the send or the connection.</exception>
    /// <exception cref="IOException">The connection broke.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS handshake or certificate check failed.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, SipTarget target, CancellationToken cancellationToken = default) =>
        SendAsync(data, (target ?? throw new ArgumentNullException(nameof(target))).EndPoint, cancellationToken);
}
