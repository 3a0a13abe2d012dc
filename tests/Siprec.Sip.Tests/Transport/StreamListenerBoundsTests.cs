using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transport;

/// <summary>
/// A TCP listener under a flood of idle and trickling connections from 127.0.0.2 (fake clock for the transport's timers):
/// the caps close the excess at once, the header-read and idle timeouts close the rest, and a valid OPTIONS from
/// 127.0.0.1 on a fresh connection is answered meanwhile.
/// </summary>
public sealed class StreamListenerBoundsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private readonly ManualTimeProvider _time = new();
    private readonly ListLoggerFactory _logs = new();

    [Fact]
    public async Task IdleAndTricklingConnections_AreClosedByThePerAddressCapAndTheHeaderReadTimeout_WhileAValidOptionsIsAnswered()
    {
        var options = new StreamTransportOptions { MaxInboundConnectionsPerAddress = 60, MaxInboundConnections = 1000 };
        var server = new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), options, _time, _logs.CreateLogger<TcpSipTransport>());
        await using var loop = new StreamLoopback(new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), server);
        var flood = new List<FloodConnection>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                flood.Add(await FloodConnection.OpenAsync(server.LocalEndPoint, trickles: i % 2 == 1));
            }
            await Poll.UntilAsync(() => server.ConnectionCount == 60 && server.RefusedConnections == 40, Wait, "60 flood connections held and 40 refused");
            await Poll.UntilAsync(() => flood.Count(f => f.Closed) == 40, Wait, "the 40 refused connections closed on the flooder's side");
            Assert.Single(_logs.Lines, l => l.EventId == 1020 && l.Level == LogLevel.Warning);

            // One byte a second on every trickling connection: still open after 9 s, as the header block never ends.
            var request = "OPTIONS sip:srs@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.2;branch=z9hG4bKtrickle\r\n"u8.ToArray();
            for (var second = 0; second < 9; second++)
            {
                foreach (var f in flood.Where(f => f.Trickles && !f.Closed)) await f.SendAsync(request[second]);
                _time.Advance(TimeSpan.FromSeconds(1));
            }
            Assert.Equal(60, server.ConnectionCount);

            var outcome = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options),
                new SipTarget(server.LocalEndPoint, SipTransportProtocol.Tcp)).WaitAsync(Wait);
            Assert.True(outcome.IsSuccess, outcome.Error);
            Assert.Equal(200, outcome.Response!.StatusCode);

            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, server.ConnectionCount);
            await Poll.UntilAsync(() => flood.All(f => f.Closed), Wait, "every flood connection closed on the flooder's side");

            // The valid connection carried a message at 9 s: the idle timeout (150 s) ends it, not the header-read one.
            _time.Advance(TimeSpan.FromSeconds(140));
            Assert.Equal(1, server.ConnectionCount);
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(0, server.ConnectionCount);
            Assert.DoesNotContain(_logs.Lines, l => l.Level >= LogLevel.Error);
        }
        finally
        {
            flood.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task ConnectionsBeyondTheTotalCap_AreClosedAtOnce_WithOneWarningPerIntervalCountingThem()
    {
        var options = new StreamTransportOptions { MaxInboundConnections = 5, MaxInboundConnectionsPerAddress = 5 };
        await using var server = new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), options, _time, _logs.CreateLogger<TcpSipTransport>());
        server.Start((_, _) => { });
        var flood = new List<FloodConnection>();
        try
        {
            for (var i = 0; i < 10; i++) flood.Add(await FloodConnection.OpenAsync(server.LocalEndPoint, trickles: false));
            await Poll.UntilAsync(() => server.RefusedConnections == 5 && server.ConnectionCount == 5, Wait, "5 held and 5 refused");
            await Poll.UntilAsync(() => flood.Count(f => f.Closed) == 5, Wait, "the 5 refused connections closed on the flooder's side");
            var first = Assert.Single(_logs.Lines, l => l.EventId == 1020);
            Assert.Contains("(MaxInboundConnections 5); 1 refused since the previous such line", first.Message, StringComparison.Ordinal);

            // Nothing sent: the header-read timeout (10 s from accept) closes the 5, and their places are free again.
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal(0, server.ConnectionCount);
            for (var i = 0; i < 6; i++) flood.Add(await FloodConnection.OpenAsync(server.LocalEndPoint, trickles: false));
            await Poll.UntilAsync(() => server.RefusedConnections == 6 && server.ConnectionCount == 5, Wait, "5 held again and 1 more refused");

            var lines = _logs.Lines.Where(l => l.EventId == 1020).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Contains("; 5 refused since the previous such line, this one included", lines[1].Message, StringComparison.Ordinal);
        }
        finally
        {
            flood.ForEach(f => f.Dispose());
        }
    }

    /// <summary>A client socket from 127.0.0.2 that notices when the server closes it.</summary>
    private sealed class FloodConnection : IDisposable
    {
        private readonly Socket _socket;
        private readonly Task _closed;

        private FloodConnection(Socket socket, bool trickles, bool reset)
        {
            _socket = socket;
            Trickles = trickles;
            _closed = reset ? Task.CompletedTask : WatchAsync();
        }

        public bool Trickles { get; }

        public bool Closed => _closed.IsCompleted;

        public static async Task<FloodConnection> OpenAsync(IPEndPoint server, bool trickles)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(Flooder, 0));
            try
            {
                await socket.ConnectAsync(server);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Refused over a cap so fast that the reset arrived before the connect reported completion.
                return new FloodConnection(socket, trickles, reset: true);
            }
            return new FloodConnection(socket, trickles, reset: false);
        }

        public async Task SendAsync(byte b)
        {
            try
            {
                await _socket.SendAsync(new[] { b });
            }
            catch (SocketException)
            {
            }
        }

        public void Dispose() => _socket.Dispose();

        // The server never sends on these; a read ends with 0 bytes or a reset when it closes the connection.
        private async Task WatchAsync()
        {
            try
            {
                while (await _socket.ReceiveAsync(new byte[64]) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
