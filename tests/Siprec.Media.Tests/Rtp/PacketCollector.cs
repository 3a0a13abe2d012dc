using System.Collections.Concurrent;
using System.Net;
using Siprec.Media.Rtp;

namespace Siprec.Media.Tests.Rtp;

/// <summary>A loopback RTP receiver that keeps a copy of every datagram, for tests.</summary>
internal sealed class PacketCollector : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<(byte[] Packet, IPEndPoint Remote)> _packets = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public PacketCollector()
    {
        Socket = RtpSocket.Bind(IPAddress.Loopback);
        Socket.Start((packet, remote) =>
        {
            _packets.Enqueue((packet.ToArray(), remote));
            _arrived.Release();
        });
    }

    public RtpSocket Socket { get; }

    public IPEndPoint EndPoint => Socket.LocalEndPoint;

    public int Count => _packets.Count;

    /// <summary>Waits until at least <paramref name="count"/> packets arrived; fails the test after a bounded wait.</summary>
    public async Task<List<(byte[] Packet, IPEndPoint Remote)>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (_packets.Count < count) await _arrived.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"expected {count} packets on {EndPoint}, got {_packets.Count}");
        }
        return _packets.ToList();
    }

    /// <summary>Proves nothing more arrives by sending a marker datagram from <paramref name="probe"/> and waiting for it.</summary>
    public async Task<List<(byte[] Packet, IPEndPoint Remote)>> DrainWithProbeAsync(RtpSocket probe)
    {
        int before = _packets.Count;
        probe.Send("probe"u8, EndPoint);
        var all = await WaitForAsync(before + 1);
        return all.Where(p => !p.Packet.AsSpan().SequenceEqual("probe"u8)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        _arrived.Dispose();
    }
}
