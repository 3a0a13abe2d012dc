using System.Net;

namespace Siprec.Sip.Transport;

/// <summary>
/// The port to the network (RFC 3261 §18): moves bytes only. It neither parses nor retransmits; the
/// transaction layer above does that.
/// </summary>
public interface ISipTransport : IAsyncDisposable
{
    /// <summary>The bound local endpoint (the real port when 0 was asked for).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The transport name used in Via, e.g. <c>UDP</c>.</summary>
    string Protocol { get; }

    /// <summary>Starts receiving; exceptions from <paramref name="onDatagram"/> are caught and logged, never stop the loop.</summary>
    /// <exception cref="InvalidOperationException">Already started or disposed.</exception>
    void Start(DatagramHandler onDatagram);

    /// <summary>Sends one datagram to <paramref name="remote"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The network refused the send; callers map it to a transport error.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default);
}
