using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Transport;

/// <summary>The listener and in-dialog target rules the gateway and the SRS share (RFC 3261 §8.1.1.8, §12.2.1.1; RFC 5923).</summary>
public sealed class ListenerRulesTests
{
    private static readonly IPEndPoint Peer = IPEndPoint.Parse("192.0.2.7:40000");

    [Theory]
    [InlineData("udp:127.0.0.1:5060", "sip:srs@127.0.0.1:5060")]
    [InlineData("tcp:127.0.0.1:5060", "sip:srs@127.0.0.1:5060;transport=tcp")]
    [InlineData("tls:[::1]:5061", "sips:srs@[::1]:5061")]
    [InlineData("tls:0.0.0.0:5061", "sips:srs@srs.example.com:5061")]
    public void ContactFor_UsesTheBoundAddress_OrForAWildcardTheHostThePeerAddressed(string listen, string contact)
    {
        Assert.True(SipListenEndPoint.TryParse(listen, out var listener, out var why), why);

        Assert.Equal(contact, listener!.ContactFor("srs", SipUri.Parse("sip:srs@srs.example.com")).ToString());
    }

    [Fact]
    public void Received_MatchesTheLocalAddressAndTheTransport()
    {
        var listener = new SipListenEndPoint(SipTransportProtocol.Tcp, IPEndPoint.Parse("127.0.0.1:5060"));
        IncomingMessage Arrived(string local, SipTransportProtocol transport) =>
            new(new SipRequest("OPTIONS", SipUri.Parse("sip:a@b")), IPEndPoint.Parse(local), Peer, transport, DateTimeOffset.UnixEpoch);

        Assert.True(listener.Received(Arrived("127.0.0.1:5060", SipTransportProtocol.Tcp)));
        Assert.False(listener.Received(Arrived("127.0.0.1:5060", SipTransportProtocol.Udp)));
        Assert.False(listener.Received(Arrived("127.0.0.1:5070", SipTransportProtocol.Tcp)));
    }

    [Fact]
    public void InDialogTargets_OverUdp_AreTheNextHopWhenItIsAnAddress_ElseWhereTheInviteCameFrom()
    {
        Assert.Equal([new SipTarget(IPEndPoint.Parse("192.0.2.9:5070"), SipTransportProtocol.Udp)],
            SipTarget.ForInDialogRequest(SipUri.Parse("sip:bob@192.0.2.9:5070"), Peer, SipTransportProtocol.Udp));
        Assert.Equal([new SipTarget(Peer, SipTransportProtocol.Udp)],
            SipTarget.ForInDialogRequest(SipUri.Parse("sip:bob@host.example.com"), Peer, SipTransportProtocol.Udp));
    }

    [Fact]
    public void InDialogTargets_OverStreams_TryTheInvitesConnectionFirst_ThenTheNextHopOnItsDefaultPort()
    {
        Assert.Equal([new SipTarget(Peer, SipTransportProtocol.Tls), new SipTarget(IPEndPoint.Parse("192.0.2.9:5061"), SipTransportProtocol.Tls)],
            SipTarget.ForInDialogRequest(SipUri.Parse("sips:bob@192.0.2.9"), Peer, SipTransportProtocol.Tls));
        Assert.Equal([new SipTarget(Peer, SipTransportProtocol.Tcp)],
            SipTarget.ForInDialogRequest(SipUri.Parse("sip:bob@192.0.2.7:40000;transport=tcp"), Peer, SipTransportProtocol.Tcp));
    }
}
