using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Rtpengine;
using Siprec.Recording.MediaEngines;

namespace Siprec.Recording.Tests.MediaEngines;

/// <summary>
/// Anchoring a call at rtpengine against scripted ng servers on loopback UDP (the real daemon's happy path is in the
/// end-to-end tests): an instance that does not answer is passed over, one that refuses ends the call there and says why.
/// </summary>
public sealed class RtpengineMediaEngineAnchorTests : IDisposable
{
    private static readonly NgClientOptions Fast = new() { Timeout = TimeSpan.FromMilliseconds(100), Tries = 2, PingInterval = TimeSpan.FromHours(1) };
    private const string CallerSdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
    private const string BotSdp = "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 41000 RTP/AVP 0\r\n";
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();

    [Fact]
    public async Task AnInstanceThatDoesNotAnswer_IsPassedOver_AndTheCallIsAnchoredAtTheNext()
    {
        var (_, silent) = Server(weight: 1000); // bound, never read; picked first but for one time in a thousand
        var (socket, answering) = Server();
        var commands = Serve(socket, command => command["command"] switch
        {
            "offer" => Ok(Sdp(30000)),
            "answer" => Ok(Sdp(30002)),
            _ => new() { ["result"] = "ok" },
        });
        await using var engine = Engine(silent, answering);

        // The client picks by weight (so almost always the silent one first); either way the call ends up where it is answered.
        var anchor = await engine.AnchorAsync("call-1", "from-tag", CallerSdp, "to-tag", BotSdp, CancellationToken.None);

        Assert.Equal(answering, anchor.Instance);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30000), anchor.BotRemote);
        Assert.Contains("m=audio 30002 ", anchor.CallerSdp, StringComparison.Ordinal);
        Assert.Equal(BotSdp, anchor.BotSdp);
        Assert.Equal(["offer", "answer"], commands.Select(c => (string)c["command"]));
        Assert.Equal("from-tag", commands.First()["from-tag"]);
        Assert.Equal("to-tag", commands.Last()["to-tag"]);
        Assert.Equal(CallerSdp, commands.First()["sdp"]);
        Assert.Equal(BotSdp, commands.Last()["sdp"]);
    }

    [Theory]
    [InlineData("offer")]
    [InlineData("answer")]
    public async Task AnInstanceThatRefuses_FailsTheAnchoringWithItsReason_AndDeletesWhatItHeld(string refused)
    {
        var (socket, instance) = Server();
        var commands = Serve(socket, command => (string)command["command"] == refused
            ? new() { ["result"] = "error", ["error-reason"] = "Unsupported SDP" }
            : command["command"] switch
            {
                "offer" => Ok(Sdp(30000)),
                "answer" => Ok(Sdp(30002)),
                _ => new() { ["result"] = "ok" },
            });
        await using var engine = Engine(instance);

        var error = await Assert.ThrowsAsync<MediaEngineException>(() =>
            engine.AnchorAsync("call-2", "from-tag", CallerSdp, "to-tag", BotSdp, CancellationToken.None));

        Assert.Contains("Unsupported SDP", error.Message, StringComparison.Ordinal);
        Assert.Contains($"refused '{refused}'", error.Message, StringComparison.Ordinal);
        await Siprec.Testing.Poll.UntilAsync(() => commands.Any(c => (string)c["command"] == "delete"), TimeSpan.FromSeconds(10), "the delete of the refused call");
        Assert.Equal("call-2", commands.Single(c => (string)c["command"] == "delete")["call-id"]);
    }

    [Fact]
    public async Task AnInstanceThatTakesTheOfferAndThenGoesSilent_IsToldToForgetTheCall()
    {
        var (socket, instance) = Server();
        var commands = Serve(socket, command => command["command"] switch
        {
            "offer" => Ok(Sdp(30000)),
            "answer" => null, // silent from here on
            _ => new() { ["result"] = "ok" },
        });
        await using var engine = Engine(instance);

        await Assert.ThrowsAsync<MediaEngineException>(() => engine.AnchorAsync("call-3", "from-tag", CallerSdp, "to-tag", BotSdp, CancellationToken.None));

        await Siprec.Testing.Poll.UntilAsync(() => commands.Any(c => (string)c["command"] == "delete"), TimeSpan.FromSeconds(10), "the delete of the half-made call");
        Assert.Equal(["offer", "answer", "delete"], commands.Select(c => (string)c["command"]));
    }

    [Fact]
    public async Task ASecondDialogWithTheSameCallId_IsNotAnchored_UntilTheFirstIsReleased()
    {
        var (socket, instance) = Server();
        var commands = Serve(socket, command => command["command"] switch
        {
            "offer" => Ok(Sdp(30000)),
            "answer" => Ok(Sdp(30002)),
            _ => new() { ["result"] = "ok" },
        });
        await using var engine = Engine(instance);
        var first = await engine.AnchorAsync("shared", "caller-a", CallerSdp, "bot-a", BotSdp, CancellationToken.None);

        // Same Call-ID, other tags (a forked or merged INVITE): sharing the ng call would let its end delete the first's media.
        var error = await Assert.ThrowsAsync<MediaEngineException>(() =>
            engine.AnchorAsync("shared", "caller-b", CallerSdp, "bot-b", BotSdp, CancellationToken.None));
        Assert.Contains("Call-ID shared", error.Message, StringComparison.Ordinal);
        Assert.Equal(["offer", "answer"], commands.Select(c => (string)c["command"]));

        await engine.ReleaseAsync(first);
        await engine.ReleaseAsync(first); // idempotent: one delete
        var again = await engine.AnchorAsync("shared", "caller-b", CallerSdp, "bot-b", BotSdp, CancellationToken.None);
        Assert.Equal("bot-b", again.BotTag);
        Assert.Equal(["offer", "answer", "delete", "offer", "answer"], commands.Select(c => (string)c["command"]));
    }

    private RtpengineMediaEngine Engine(params RtpengineInstance[] instances) =>
        new(new NgClient(instances, Fast, TimeProvider.System), IPAddress.Loopback, NullLoggerFactory.Instance);

    private (Socket Socket, RtpengineInstance Instance) Server(int weight = 1)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sockets.Add(socket);
        return (socket, new RtpengineInstance((IPEndPoint)socket.LocalEndPoint!, weight));
    }

    // Answers every request on the socket with reply(command) until the test ends; returns the commands as they came.
    // A null reply leaves the request unanswered.
    private ConcurrentQueue<IReadOnlyDictionary<string, object>> Serve(Socket socket, Func<IReadOnlyDictionary<string, object>, Dictionary<string, object>?> reply)
    {
        var commands = new ConcurrentQueue<IReadOnlyDictionary<string, object>>();
        _ = Task.Run(async () =>
        {
            var buffer = new byte[8192];
            var seen = new HashSet<string>();
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                var space = Array.IndexOf(buffer, (byte)' ', 0, received.ReceivedBytes);
                var cookie = Encoding.ASCII.GetString(buffer, 0, space);
                if (!Bencode.TryParse(buffer.AsSpan(space + 1, received.ReceivedBytes - space - 1), out var value, out _)) continue;
                var command = (IReadOnlyDictionary<string, object>)value!;
                if (seen.Add(cookie)) commands.Enqueue(command);
                if (reply(command) is not { } replied) continue;
                var answer = Encoding.ASCII.GetBytes(cookie + " ").Concat(Bencode.Encode(replied)).ToArray();
                await socket.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint);
            }
        });
        return commands;
    }

    private static string Sdp(int port) => $"v=0\r\no=- 9 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\n";

    private static Dictionary<string, object> Ok(string sdp) => new() { ["result"] = "ok", ["sdp"] = sdp };

    public void Dispose()
    {
        _stop.Cancel();
        _sockets.ForEach(s => s.Dispose());
        _stop.Dispose();
    }
}
