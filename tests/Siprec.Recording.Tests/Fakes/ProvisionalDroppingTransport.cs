using System.Net;
using System.Text;
using Siprec.Sip.Transport;

namespace Siprec.Recording.Tests.Fakes;

/// <summary>A real UDP transport that loses every outgoing 1xx, as a lossy network would (so the SRC cannot CANCEL yet, RFC 3261 §9.1).</summary>
public sealed class ProvisionalDroppingTransport(ISipTransport inner) : ISipTransport
{
    private static readonly byte[] Provisional = Encoding.ASCII.GetBytes("SIP/2.0 1");

    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public string Protocol => inner.Protocol;

    public void Start(DatagramHandler onDatagram) => inner.Start(onDatagram);

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        data.Span.StartsWith(Provisional) ? ValueTask.CompletedTask : inner.SendAsync(data, remote, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
