using System.Net;
using System.Text;
using Siprec.Sip.Transport;

namespace Siprec.Testing.Srs;

/// <summary>A real transport that loses every outgoing 1xx, as a lossy network would (so the SRC cannot CANCEL yet, RFC 3261 §9.1).</summary>
/// <param name="inner">The transport that carries everything else.</param>
public sealed class ProvisionalDroppingTransport(ISipTransport inner) : ISipTransport
{
    private static readonly byte[] Provisional = Encoding.ASCII.GetBytes("SIP/2.0 1");

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    /// <inheritdoc />
    public SipTransportProtocol Protocol => inner.Protocol;

    /// <inheritdoc />
    public void Start(DatagramHandler onDatagram) => inner.Start(onDatagram);

    /// <summary>Sends <paramref name="data"/> unless it is a 1xx response, which is silently dropped.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        data.Span.StartsWith(Provisional) ? ValueTask.CompletedTask : inner.SendAsync(data, remote, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
