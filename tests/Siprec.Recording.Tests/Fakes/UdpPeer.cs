using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Fakes;

/// <summary>
/// A bare UDP socket on 127.0.0.1 posing as an SRS target that answers only what a test sends by hand: it counts every
/// datagram (so INVITE retransmissions show, which a transaction layer would absorb) and keeps each parsed request with
/// where it came from.
/// </summary>
public sealed class UdpPeer : IAsyncDisposable
{
    private const string MarkerPrefix = "marker ";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ConcurrentQueue<(SipRequest Request, IPEndPoint From)> _requests = new();
    private readonly ConcurrentQueue<string> _markers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _marks;

    private UdpPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = ReceiveAsync();
    }

    /// <summary>Binds a peer on 127.0.0.1 at a port the OS picks and starts receiving.</summary>
    public static UdpPeer Start() => new();

    /// <summary>Where the peer listens.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Every SIP request received so far (retransmissions included), in arrival order.</summary>
    public IReadOnlyList<(SipRequest Request, IPEndPoint From)> Requests => _requests.ToArray();

    /// <summary>How many requests of <paramref name="method"/> arrived (retransmissions included).</summary>
    public int Count(string method) => _requests.Count(r => r.Request.Method == method);

    /// <summary>Waits for the <paramref name="nth"/> request of <paramref name="method"/>; TimeoutException after 5 s.</summary>
    public async Task<(SipRequest Request, IPEndPoint From)> WaitForAsync(string method, int nth = 1)
    {
        await Poll.UntilAsync(() => Count(method) >= nth, Bound, $"{method} #{nth} at {EndPoint}");
        return _requests.Where(r => r.Request.Method == method).ElementAt(nth - 1);
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="to"/> from this peer's socket.</summary>
    public async Task SendAsync(SipMessage message, IPEndPoint to) =>
        await _socket.SendToAsync(SipSerializer.Serialize(message), SocketFlags.None, to);

    /// <summary>
    /// Returns once every datagram sent to this peer before the call has been received: a marker sent now from another
    /// socket over loopback queues behind them.
    /// </summary>
    public async Task SettleAsync()
    {
        var marker = MarkerPrefix + Interlocked.Increment(ref _marks);
        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await other.SendToAsync(Encoding.ASCII.GetBytes(marker), SocketFlags.None, EndPoint);
        await Poll.UntilAsync(() => _markers.Contains(marker), Bound, $"the marker datagram at {EndPoint}");
    }

    /// <summary>Stops receiving and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            var data = buffer.AsMemory(0, received.ReceivedBytes).ToArray();
            var text = Encoding.ASCII.GetString(data);
            if (text.StartsWith(MarkerPrefix, StringComparison.Ordinal))
                _markers.Enqueue(text);
            else if (SipParser.TryParse(new ReadOnlyMemory<byte>(data), out var message, out _) && message is SipRequest request)
                _requests.Enqueue((request, (IPEndPoint)received.RemoteEndPoint));
        }
    }
}
