using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Transactions;

/// <summary>An in-memory transport: records what is sent and lets a test inject datagrams.</summary>
internal sealed class InMemoryTransport : ISipTransport
{
    private readonly object _gate = new();
    private readonly List<(SipMessage Message, IPEndPoint Remote)> _sent = new();
    private readonly List<(byte[] Bytes, IPEndPoint Remote)> _unparseable = new();
    private DatagramHandler? _handler;

    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 5070);

    public SipTransportProtocol Protocol { get; init; } = SipTransportProtocol.Udp;

    /// <summary>Pretend to be a stream transport (TCP), to test the reliable-transport timer rules.</summary>
    public bool IsReliable { get; init; }

    public bool Disposed { get; private set; }

    public IReadOnlyList<(SipMessage Message, IPEndPoint Remote)> Sent
    {
        get { lock (_gate) return _sent.ToArray(); }
    }

    /// <summary>Sent datagrams our own parser rejects (e.g. a 400 that echoes a malformed CSeq).</summary>
    public IReadOnlyList<(byte[] Bytes, IPEndPoint Remote)> SentUnparseable
    {
        get { lock (_gate) return _unparseable.ToArray(); }
    }

    public void Start(DatagramHandler onDatagram) => _handler = onDatagram;

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, SipTarget target, CancellationToken cancellationToken = default) =>
        SendAsync(data, target.EndPoint, cancellationToken);

    /// <summary>When set, every send after this many successful ones fails as an unreachable UDP peer does.</summary>
    public int? FailSendsAfter { get; set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (FailSendsAfter is { } limit && _sent.Count + _unparseable.Count >= limit)
            {
                throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
            }
        }
        if (SipParser.TryParse(data.Span, out var message, out _)) lock (_gate) _sent.Add((message!, remote));
        else lock (_gate) _unparseable.Add((data.ToArray(), remote));
        return ValueTask.CompletedTask;
    }

    public void Inject(SipMessage message, IPEndPoint remote) => Inject(SipSerializer.Serialize(message), remote);

    public void Inject(byte[] datagram, IPEndPoint remote) =>
        (_handler ?? throw new InvalidOperationException("transport not started"))(datagram, remote);

    public int CountSent(Func<SipMessage, bool> predicate) => Sent.Count(s => predicate(s.Message));

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
