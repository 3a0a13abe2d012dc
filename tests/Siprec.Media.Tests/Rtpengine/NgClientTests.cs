using System.Net;
using System.Net.Sockets;
using System.Text;
using Siprec.Media.Rtpengine;

namespace Siprec.Media.Tests.Rtpengine;

/// <summary>The ng client against scripted ng servers on real loopback UDP sockets (one per "instance").</summary>
public sealed class NgClientTests : IDisposable
{
    private static readonly NgClientOptions Fast = new() { Timeout = TimeSpan.FromMilliseconds(100), Tries = 3, PingInterval = TimeSpan.FromHours(1) };
    private readonly List<Socket> _servers = [];

    private (Socket Socket, RtpengineInstance Instance) Server(int weight = 1)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _servers.Add(socket);
        return (socket, new RtpengineInstance((IPEndPoint)socket.LocalEndPoint!, weight));
    }

    // Reads one request: its cookie and command dictionary.
    private static async Task<(string Cookie, IReadOnlyDictionary<string, object> Command, EndPoint From)> ReceiveAsync(Socket server)
    {
        var buffer = new byte[4096];
        var received = await server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(TimeSpan.FromSeconds(10));
        var space = Array.IndexOf(buffer, (byte)' ');
        Assert.True(Bencode.TryParse(buffer.AsSpan(space + 1, received.ReceivedBytes - space - 1), out var value, out var error), error);
        return (Encoding.ASCII.GetString(buffer, 0, space), (IReadOnlyDictionary<string, object>)value!, received.RemoteEndPoint);
    }

    private static Task ReplyAsync(Socket server, EndPoint to, string cookie, Dictionary<string, object> answer) =>
        server.SendToAsync(Encoding.ASCII.GetBytes(cookie + " ").Concat(Bencode.Encode(answer)).ToArray(), SocketFlags.None, to);

    [Fact]
    public async Task SendAsync_ResendsWithTheSameCookie_UntilAnswered()
    {
        var (server, instance) = Server();
        await using var client = new NgClient([instance], Fast, TimeProvider.System);

        var sending = client.SendAsync(instance, new Dictionary<string, object> { ["command"] = "query", ["call-id"] = "c1" }, CancellationToken.None);
        var first = await ReceiveAsync(server);
        var second = await ReceiveAsync(server); // the first try was not answered
        await ReplyAsync(server, second.From, second.Cookie, new() { ["result"] = "ok", ["created"] = 5 });
        var answer = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(first.Cookie, second.Cookie);
        Assert.Equal("query", first.Command["command"]);
        Assert.Equal("c1", first.Command["call-id"]);
        Assert.Equal(5L, answer["created"]);
        Assert.True(client.IsUp(instance));
    }

    [Fact]
    public async Task SendAsync_ThrowsAnErrorReason_AsNotUnreachable()
    {
        var (server, instance) = Server();
        await using var client = new NgClient([instance], Fast, TimeProvider.System);

        var sending = client.SendAsync(instance, new Dictionary<string, object> { ["command"] = "block media", ["call-id"] = "gone" }, CancellationToken.None);
        var request = await ReceiveAsync(server);
        await ReplyAsync(server, request.From, request.Cookie, new() { ["result"] = "error", ["error-reason"] = "Unknown call-id" });

        var ex = await Assert.ThrowsAsync<NgException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(ex.Unreachable);
        Assert.Contains("Unknown call-id", ex.Message, StringComparison.Ordinal);
        Assert.True(client.IsUp(instance));
    }

    [Fact]
    public async Task AnInstanceThatNeverAnswers_IsReportedDownOnce_AndLeftOutOfNewCalls()
    {
        var (_, silent) = Server(weight: 1000);
        var (_, other) = Server(weight: 1);
        await using var client = new NgClient([silent, other], Fast, TimeProvider.System);
        var downs = new List<(RtpengineInstance, string)>();
        client.InstanceDown += (i, d) => downs.Add((i, d));

        var ex = await Assert.ThrowsAsync<NgException>(() => client.SendAsync(silent, new Dictionary<string, object> { ["command"] = "ping" }, CancellationToken.None));
        await Assert.ThrowsAsync<NgException>(() => client.SendAsync(silent, new Dictionary<string, object> { ["command"] = "ping" }, CancellationToken.None));

        Assert.True(ex.Unreachable);
        Assert.Contains("no answer to 'ping' after 3", ex.Message, StringComparison.Ordinal);
        var down = Assert.Single(downs);
        Assert.Equal(silent, down.Item1);
        Assert.False(client.IsUp(silent));
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(other, client.Pick()));
    }

    [Fact]
    public async Task Pick_SharesNewCallsByWeight_AmongInstancesThatAnswer()
    {
        var (_, heavy) = Server(weight: 3);
        var (_, light) = Server(weight: 1);
        await using var client = new NgClient([heavy, light], Fast, TimeProvider.System);

        var picks = Enumerable.Range(0, 4000).Select(_ => client.Pick()).ToList();

        // 3:1 by weight; a bound this wide fails only if the weights are ignored (p < 1e-9 for a fair 3:1 draw).
        var heavyShare = picks.Count(p => p == heavy) / 4000.0;
        Assert.InRange(heavyShare, 0.68, 0.82);
    }

    [Fact]
    public async Task Pick_WithEveryInstanceDown_SaysSo()
    {
        var (_, only) = Server();
        await using var client = new NgClient([only], new NgClientOptions { Timeout = TimeSpan.FromMilliseconds(50), Tries = 1, PingInterval = TimeSpan.FromHours(1), RetryDownAfter = TimeSpan.FromHours(1) },
            TimeProvider.System);
        await Assert.ThrowsAsync<NgException>(() => client.SendAsync(only, new Dictionary<string, object> { ["command"] = "ping" }, CancellationToken.None));

        var ex = Assert.Throws<NgException>(() => client.Pick());
        Assert.True(ex.Unreachable);
    }

    [Theory]
    [InlineData("udp:127.0.0.1:2223", 2223, 1)]
    [InlineData("udp:127.0.0.1:2223=5", 2223, 5)]
    [InlineData("udp:[::1]:2230=2", 2230, 2)]
    public void RtpengineInstance_TryParse_ReadsTheKamailioForm(string text, int port, int weight)
    {
        Assert.True(RtpengineInstance.TryParse(text, out var instance, out var error), error);
        Assert.Equal(port, instance!.EndPoint.Port);
        Assert.Equal(weight, instance.Weight);
    }

    [Theory]
    [InlineData("127.0.0.1:2223")]
    [InlineData("udp:rtpengine.example:2223")]
    [InlineData("udp:127.0.0.1")]
    [InlineData("udp:127.0.0.1:2223=0")]
    [InlineData("tcp:127.0.0.1:2223")]
    public void RtpengineInstance_TryParse_RefusesAnythingElse(string text)
    {
        Assert.False(RtpengineInstance.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    public void Dispose()
    {
        foreach (var s in _servers) s.Dispose();
    }
}
