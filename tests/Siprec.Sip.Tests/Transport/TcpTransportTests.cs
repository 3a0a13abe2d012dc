using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Transport;

/// <summary>SIP over TCP on 127.0.0.1 (RFC 3261 §18.3): framing, connection reuse, keep-alive, and two transaction layers.</summary>
public sealed class TcpTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly IPEndPoint Any = new(IPAddress.Loopback, 0);

    private static string Options(string branch, string body = "") =>
        $"OPTIONS sip:srs@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch={branch}\r\nCall-ID: {branch}\r\nContent-Length: {body.Length}\r\n\r\n{body}";

    private static async Task<(TcpSipTransport Server, BlockingCollection<string> Messages)> StartServerAsync()
    {
        var server = new TcpSipTransport(Any);
        var messages = new BlockingCollection<string>();
        server.Start((datagram, _) => messages.Add(Encoding.ASCII.GetString(datagram.Span)));
        await Task.Yield();
        return (server, messages);
    }

    private static string Take(BlockingCollection<string> messages)
    {
        Assert.True(messages.TryTake(out var message, Wait), "no message framed within the wait");
        return message!;
    }

    [Fact]
    public async Task Framing_JoinsAMessageSplitAcrossWrites_AndSplitsTwoMessagesInOneRead()
    {
        var (server, messages) = await StartServerAsync();
        await using var _ = server;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(server.LocalEndPoint);

        var split = Encoding.ASCII.GetBytes(Options("z9hG4bKsplit", "abc"));
        await client.SendAsync(split.AsMemory(0, 30));
        await Task.Delay(50);
        await client.SendAsync(split.AsMemory(30, split.Length - 33));
        await Task.Delay(50);
        await client.SendAsync(split.AsMemory(split.Length - 3));
        Assert.Equal(Options("z9hG4bKsplit", "abc"), Take(messages));

        await client.SendAsync(Encoding.ASCII.GetBytes(Options("z9hG4bKone", "1") + Options("z9hG4bKtwo", "22")));
        Assert.Equal(Options("z9hG4bKone", "1"), Take(messages));
        Assert.Equal(Options("z9hG4bKtwo", "22"), Take(messages));
    }

    [Fact]
    public async Task KeepAlivePing_IsAnsweredWithAPong_AndAMessageWithoutContentLength_ClosesTheConnection()
    {
        var (server, messages) = await StartServerAsync();
        await using var _ = server;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.LocalEndPoint);
        using var cts = new CancellationTokenSource(Wait);

        await client.SendAsync("\r\n\r\n"u8.ToArray());
        var pong = new byte[2];
        Assert.Equal(2, await client.ReceiveAsync(pong, SocketFlags.None, cts.Token));
        Assert.Equal("\r\n"u8.ToArray(), pong);

        await client.SendAsync(Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n"));
        Assert.Equal(0, await client.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token));
        Assert.Empty(messages);
    }

    [Fact]
    public async Task RequestAndResponse_TravelOverTcp_AndTheAckForA2xxReachesTheServerUser()
    {
        await using var loop = new StreamLoopback(new TcpSipTransport(Any), new TcpSipTransport(Any));
        var target = new SipTarget(loop.ServerTransport.LocalEndPoint, SipTransportProtocol.Tcp);
        var invite = StreamLoopback.NewRequest(SipMethods.Invite);

        var outcome = await loop.Client.SendRequestAsync(invite, target).WaitAsync(Wait);
        Assert.True(outcome.IsSuccess, outcome.Error);
        var ack = new SipRequest(SipMethods.Ack, invite.RequestUri) { Headers =
        [
            new SipHeader("From", invite.GetHeader("From")!),
            new SipHeader("To", outcome.Response!.GetHeader("To")!),
            new SipHeader("Call-ID", invite.CallId!),
            new SipHeader("CSeq", "1 ACK"),
        ] };
        await loop.Client.SendAckAsync(ack, target);

        Assert.True(await loop.ServerUser.AckSeen.WaitAsync(Wait));
        Assert.Equal(SipTransportProtocol.Tcp, loop.ServerUser.Acks.Single().Transport);
        Assert.Equal(1, ((TcpSipTransport)loop.ClientTransport).ConnectionCount);
        Assert.Equal(1, ((TcpSipTransport)loop.ServerTransport).ConnectionCount);
    }

    [Fact]
    public async Task ConnectionRefused_IsATransportErrorOutcome_NotAnException()
    {
        await using var loop = new StreamLoopback(new TcpSipTransport(Any), new TcpSipTransport(Any));
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(Any);
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var outcome = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options),
            new SipTarget(new IPEndPoint(IPAddress.Loopback, closedPort), SipTransportProtocol.Tcp)).WaitAsync(Wait);

        Assert.Equal(TransactionOutcomeKind.TransportError, outcome.Kind);
        Assert.Contains("ConnectionRefused", outcome.Error);
    }

    [Fact]
    public async Task TargetWithoutAMatchingTransport_IsATransportErrorNamingTheProtocol()
    {
        await using var loop = new StreamLoopback(new TcpSipTransport(Any), new TcpSipTransport(Any));

        var outcome = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options),
            new SipTarget(loop.ServerTransport.LocalEndPoint, SipTransportProtocol.Tls, "localhost")).WaitAsync(Wait);

        Assert.Equal(TransactionOutcomeKind.TransportError, outcome.Kind);
        Assert.Contains("no TLS transport", outcome.Error);
    }
}
