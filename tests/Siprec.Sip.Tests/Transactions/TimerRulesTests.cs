using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17 timers D, I, J, K over UDP, and the reliable-transport rules (no A/E/G; D/I/J/K = 0), on a fake clock.</summary>
public sealed class TimerRulesTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.30"), 5060);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingUser _user = new();

    private TransactionLayer NewLayer(InMemoryTransport transport)
    {
        var layer = new TransactionLayer([transport], _user, _time, new SipTransactionOptions());
        layer.Start();
        return layer;
    }

    private static int Requests(InMemoryTransport t, string method) => t.CountSent(m => m is SipRequest r && r.Method == method);

    private static int Responses(InMemoryTransport t, int status) => t.CountSent(m => m is SipResponse r && r.StatusCode == status);

    private static SipRequest Incoming(string method, string transport = "UDP") =>
        ClientTransactionTests.NewRequest(method).AddHeader("Via", $"SIP/2.0/{transport} 192.0.2.30:5060;branch=z9hG4bKtimers1;rport");

    [Fact]
    public async Task Udp_InviteClient_ReAcksRetransmittedFinal_UntilTimerDAt32Seconds()
    {
        var transport = new InMemoryTransport();
        await using var layer = NewLayer(transport);
        var outcome = layer.SendRequestAsync(ClientTransactionTests.NewRequest(SipMethods.Invite), Peer);
        var sent = (SipRequest)transport.Sent[0].Message;
        var busy = SipResponse.CreateFor(sent, 486, toTag: "b");
        transport.Inject(busy, Peer);
        Assert.Equal(486, (await outcome.WaitAsync(Wait)).StatusCode);
        Assert.Equal(1, Requests(transport, SipMethods.Ack));
        _time.Advance(TimeSpan.FromSeconds(31.9));
        transport.Inject(busy, Peer);
        Assert.Equal(2, Requests(transport, SipMethods.Ack));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        transport.Inject(busy, Peer);
        Assert.Equal(2, Requests(transport, SipMethods.Ack));
    }

    [Fact]
    public async Task Udp_NonInviteServer_AbsorbsRetransmissions_UntilTimerJAt32Seconds()
    {
        var transport = new InMemoryTransport();
        await using var layer = NewLayer(transport);
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: "l")).AsTask();
        var bye = Incoming(SipMethods.Bye);
        transport.Inject(bye, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        _time.Advance(TimeSpan.FromSeconds(31.9));
        transport.Inject(bye, Peer);
        Assert.Equal(2, Responses(transport, 200));
        Assert.Single(_user.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        transport.Inject(bye, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        Assert.Equal(2, _user.Requests.Count);
    }

    [Fact]
    public async Task Udp_InviteServer_AbsorbsAckRetransmissions_UntilTimerIAtT4()
    {
        var transport = new InMemoryTransport();
        await using var layer = NewLayer(transport);
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 603, toTag: "l")).AsTask();
        var invite = Incoming(SipMethods.Invite);
        transport.Inject(invite, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        var ack = new SipRequest(SipMethods.Ack, invite.RequestUri) { Headers = [.. invite.Headers.Where(h => h.Name != "CSeq"), new SipHeader("CSeq", "1 ACK")] };
        transport.Inject(ack, Peer);
        transport.Inject(ack, Peer);
        Assert.Empty(_user.Acks);
        _time.Advance(TimeSpan.FromSeconds(5));
        transport.Inject(ack, Peer);
        Assert.Single(_user.Acks);
        Assert.Equal(1, Responses(transport, 603));
    }

    [Fact]
    public async Task Reliable_InviteClient_NeverRetransmits_ButTimerBStillFiresAt32Seconds()
    {
        var transport = new InMemoryTransport { Protocol = SipTransportProtocol.Tcp, IsReliable = true };
        await using var layer = NewLayer(transport);
        var outcome = layer.SendRequestAsync(ClientTransactionTests.NewRequest(SipMethods.Invite), new SipTarget(Peer, SipTransportProtocol.Tcp));
        Assert.Equal("TCP", ((SipRequest)transport.Sent[0].Message).Vias[0].Transport);
        _time.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal(1, Requests(transport, SipMethods.Invite));
        Assert.False(outcome.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TransactionOutcomeKind.Timeout, (await outcome.WaitAsync(Wait)).Kind);
    }

    [Fact]
    public async Task Reliable_NonInviteClient_NeverRetransmits_AndTimerKIsZero()
    {
        var transport = new InMemoryTransport { Protocol = SipTransportProtocol.Tcp, IsReliable = true };
        await using var layer = NewLayer(transport);
        var outcome = layer.SendRequestAsync(ClientTransactionTests.NewRequest(SipMethods.Options), new SipTarget(Peer, SipTransportProtocol.Tcp));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Requests(transport, SipMethods.Options));
        var sent = (SipRequest)transport.Sent[0].Message;
        transport.Inject(SipResponse.CreateFor(sent, 200, toTag: "t"), Peer);
        Assert.True((await outcome.WaitAsync(Wait)).IsSuccess);
        Assert.Equal(0, _time.ActiveTimerCount);
    }

    [Fact]
    public async Task Reliable_InviteServer_SendsTheRejectionOnce_AndTimerIIsZero()
    {
        var transport = new InMemoryTransport { Protocol = SipTransportProtocol.Tcp, IsReliable = true };
        await using var layer = NewLayer(transport);
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 486, toTag: "l")).AsTask();
        var invite = Incoming(SipMethods.Invite, "TCP");
        var connection = new IPEndPoint(IPAddress.Parse("192.0.2.30"), 41234);
        transport.Inject(invite, connection);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Responses(transport, 486));
        Assert.All(transport.Sent, s => Assert.Equal(connection, s.Remote));
        var ack = new SipRequest(SipMethods.Ack, invite.RequestUri) { Headers = [.. invite.Headers.Where(h => h.Name != "CSeq"), new SipHeader("CSeq", "1 ACK")] };
        transport.Inject(ack, connection);
        Assert.Empty(_user.Acks);
        Assert.Equal(0, _time.ActiveTimerCount);
    }

    [Fact]
    public async Task Reliable_NonInviteServer_TimerJIsZero_SoARepeatIsANewRequest()
    {
        var transport = new InMemoryTransport { Protocol = SipTransportProtocol.Tcp, IsReliable = true };
        await using var layer = NewLayer(transport);
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: "l")).AsTask();
        var info = Incoming(SipMethods.Info, "TCP");
        transport.Inject(info, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        Assert.Equal(0, _time.ActiveTimerCount);
        transport.Inject(info, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        Assert.Equal(2, _user.Requests.Count);
    }

    [Fact]
    public async Task Request_WithUnsupportedRequire_IsAnswered420ByTheLayer_AndItsRetransmissionAbsorbed()
    {
        var transport = new InMemoryTransport();
        await using var layer = NewLayer(transport);
        var options = Incoming(SipMethods.Options).AddHeader("Require", "foo-ext");
        transport.Inject(options, Peer);
        transport.Inject(options, Peer);
        var responses = transport.Sent.Select(s => (SipResponse)s.Message).ToList();
        Assert.Equal(2, responses.Count);
        Assert.All(responses, r => Assert.Equal(420, r.StatusCode));
        Assert.Equal("foo-ext", responses[0].GetHeader("Unsupported"));
        Assert.Equal(responses[0].To!.Tag, responses[1].To!.Tag);
        Assert.Empty(_user.Requests);
    }

    [SkippableFact]
    public async Task UnparseableRequest_Retransmitted_GetsTheSameAnswerFromOneServerTransaction()
    {
        var transport = new InMemoryTransport();
        await using var layer = NewLayer(transport);
        var bytes = File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc4475", "badvers.dat"));
        transport.Inject(bytes, Peer);
        transport.Inject(bytes, Peer);
        var responses = transport.Sent.Select(s => (SipResponse)s.Message).ToList();
        Assert.Equal(2, responses.Count);
        Assert.All(responses, r => Assert.Equal(505, r.StatusCode));
        Assert.Equal(responses[0].To!.Tag, responses[1].To!.Tag);
    }
}
