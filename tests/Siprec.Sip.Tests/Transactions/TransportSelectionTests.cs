using System.Net;
using System.Text;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transactions;

/// <summary>RFC 3261 §18.1.1: a request too large for UDP goes over TCP to the same address, UDP only as a fallback or when the URI forces it.</summary>
public sealed class TransportSelectionTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.10"), 5080);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryTransport _udp = new();
    private readonly InMemoryTransport _tcp = new() { Protocol = SipTransportProtocol.Tcp, IsReliable = true };

    private TransactionLayer Layer(int udpMaxBytes = 1300, bool withTcp = true)
    {
        ISipTransport[] transports = withTcp ? [_udp, _tcp] : [_udp];
        var layer = new TransactionLayer(transports, new RecordingUser(), _time, new SipTransactionOptions { UdpMaxBytes = udpMaxBytes });
        layer.Start();
        return layer;
    }

    private static SipRequest Invite(int bodyBytes) =>
        ClientTransactionTests.NewRequest(SipMethods.Invite).WithBody("application/sdp", Encoding.ASCII.GetBytes(new string('a', bodyBytes)));

    private static async Task<TransactionOutcome> AnswerAsync(Task<TransactionOutcome> pending, InMemoryTransport on)
    {
        await Poll.UntilAsync(() => on.Sent.Any(s => s.Message is SipRequest { Method: SipMethods.Invite }), Wait, "the INVITE to be sent");
        var sent = (SipRequest)on.Sent.Last(s => s.Message is SipRequest { Method: SipMethods.Invite }).Message;
        on.Inject(SipResponse.CreateFor(sent, 200, toTag: "t1"), Peer);
        return await pending.WaitAsync(Wait);
    }

    [Fact]
    public async Task OversizedRequest_GoesOverTcp_ToTheSameAddress_WithATcpVia()
    {
        await using var layer = Layer();
        var outcome = await AnswerAsync(layer.SendRequestAsync(Invite(2000), new SipTarget(Peer, SipTransportProtocol.Udp)), _tcp);

        Assert.Empty(_udp.Sent);
        var (message, remote) = Assert.Single(_tcp.Sent);
        Assert.Equal(Peer, remote);
        Assert.Equal("TCP", ((SipRequest)message).Vias[0].Transport);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal(new SipTarget(Peer, SipTransportProtocol.Tcp), outcome.Target);
    }

    [Fact]
    public async Task RequestAtTheLimit_StaysOnUdp()
    {
        var small = Invite(10);
        var size = SipSerializer.Measure(small) + 100; // room for the Via and Max-Forwards the layer adds
        await using var limited = Layer(udpMaxBytes: size);
        var outcome = await AnswerAsync(limited.SendRequestAsync(small, new SipTarget(Peer, SipTransportProtocol.Udp)), _udp);

        Assert.Empty(_tcp.Sent);
        Assert.Equal("UDP", ((SipRequest)Assert.Single(_udp.Sent).Message).Vias[0].Transport);
        Assert.Equal(SipTransportProtocol.Udp, outcome.Target!.Protocol);
    }

    [Fact]
    public async Task OversizedRequest_ToAUriThatNamesUdp_StaysOnUdp()
    {
        await using var layer = Layer();
        var forced = new SipTarget(Peer, SipTransportProtocol.Udp) { IsTransportExplicit = true };
        var outcome = await AnswerAsync(layer.SendRequestAsync(Invite(2000), forced), _udp);

        Assert.Empty(_tcp.Sent);
        Assert.Single(_udp.Sent);
        Assert.Equal(forced, outcome.Target);
    }

    [Fact]
    public async Task OversizedRequest_WhenTcpCannotConnect_FallsBackToUdp_AndSaysSo()
    {
        await using var layer = Layer();
        _tcp.FailSendsAfter = 0;
        var outcome = await AnswerAsync(layer.SendRequestAsync(Invite(2000), new SipTarget(Peer, SipTransportProtocol.Udp)), _udp);

        Assert.Empty(_tcp.Sent);
        var sent = (SipRequest)Assert.Single(_udp.Sent).Message;
        Assert.Equal("UDP", sent.Vias[0].Transport);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal(SipTransportProtocol.Udp, outcome.Target!.Protocol);
    }

    [Fact]
    public async Task OversizedRequest_WithoutATcpTransport_GoesOverUdp()
    {
        await using var layer = Layer(withTcp: false);
        var outcome = await AnswerAsync(layer.SendRequestAsync(Invite(2000), new SipTarget(Peer, SipTransportProtocol.Udp)), _udp);
        Assert.Single(_udp.Sent);
        Assert.Equal(SipTransportProtocol.Udp, outcome.Target!.Protocol);
    }

    [Fact]
    public async Task ZeroLimit_TurnsTheRuleOff()
    {
        await using var layer = Layer(udpMaxBytes: 0);
        await AnswerAsync(layer.SendRequestAsync(Invite(5000), new SipTarget(Peer, SipTransportProtocol.Udp)), _udp);
        Assert.Empty(_tcp.Sent);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65_508)]
    public void OutOfRangeLimit_IsRefused(int limit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTransactionOptions { UdpMaxBytes = limit }.Validate());
}
