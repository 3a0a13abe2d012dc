using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Dialogs;

public sealed class DialogTests
{
    private static SipRequest Invite() => new SipRequest(SipMethods.Invite, SipUri.Parse("sip:b@example.com")) { Headers =
    [
        new SipHeader("Record-Route", "<sip:p1.example.com;lr>, <sip:p2.example.com;lr>"),
        new SipHeader("From", "<sip:a@example.com>;tag=a1"),
        new SipHeader("To", "<sip:b@example.com>"),
        new SipHeader("Call-ID", "c1"),
        new SipHeader("CSeq", "7 INVITE"),
        new SipHeader("Contact", "<sip:a@192.0.2.1>"),
    ] };

    [Fact]
    public void Uac_ReversesRecordRouteAndTargetsTheContact()
    {
        // RFC 3261 §12.1.1: the UAS's 2xx carries the INVITE's Record-Route values; CreateFor copies them.
        var ok = SipResponse.CreateFor(Invite(), 200, toTag: "b1").AddHeader("Contact", "<sip:b@192.0.2.2>");
        var dialog = Dialog.CreateAsUac(Invite(), ok);
        Assert.Equal(new DialogId("c1", "a1", "b1"), dialog.Id);
        Assert.Equal(["p2.example.com", "p1.example.com"], dialog.RouteSet.Select(r => r.Uri.Host).ToArray());
        var bye = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal("sip:b@192.0.2.2", bye.RequestUri.ToString());
        Assert.Equal(new CSeq(8, SipMethods.Bye), bye.CSeq);
        Assert.Equal("b1", bye.To!.Tag);
        Assert.Equal("a1", bye.From!.Tag);
        Assert.Equal(2, bye.Routes.Count);
        Assert.Equal("70", bye.MaxForwards);
        Assert.Null(bye.GetHeader("Contact"));
        Assert.NotNull(dialog.CreateRequest(SipMethods.Invite).GetHeader("Contact"));
        Assert.Equal(new CSeq(7, SipMethods.Ack), dialog.CreateAck(7).CSeq);
    }

    [Fact]
    public void Uas_KeepsRecordRouteOrder_AndRejectsOldSequences()
    {
        var dialog = Dialog.CreateAsUas(Invite(), "b1", SipUri.Parse("sip:b@192.0.2.2"));
        Assert.Equal(new DialogId("c1", "b1", "a1"), dialog.Id);
        Assert.Equal(["p1.example.com", "p2.example.com"], dialog.RouteSet.Select(r => r.Uri.Host).ToArray());
        Assert.Equal(7u, dialog.RemoteSequence);
        Assert.False(dialog.TryAcceptRemoteSequence(7));
        Assert.True(dialog.TryAcceptRemoteSequence(8));
        var request = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal("sip:a@192.0.2.1", request.RequestUri.ToString());
        Assert.Equal(1u, request.CSeq!.Value.Sequence);
        var inbound = new SipRequest(SipMethods.Bye, SipUri.Parse("sip:b@192.0.2.2")) { Headers =
        [
            new SipHeader("From", "<sip:a@example.com>;tag=a1"), new SipHeader("To", "<sip:b@example.com>;tag=b1"), new SipHeader("Call-ID", "c1"),
        ] };
        Assert.True(dialog.Matches(inbound));
        Assert.False(dialog.Matches(inbound.SetHeader("Call-ID", "other")));
    }

    [Fact]
    public void Uac_WithoutToTag_Throws()
    {
        var response = SipResponse.CreateFor(Invite(), 200);
        Assert.Throws<ArgumentException>(() => Dialog.CreateAsUac(Invite(), response));
    }

    [Fact]
    public void LooseRouteSet_KeepsTheRemoteTargetAsRequestUri_AndSendsEveryRouteInOrder()
    {
        var dialog = Dialog.CreateAsUas(Invite(), "b1", SipUri.Parse("sip:b@192.0.2.2"));
        var bye = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal("sip:a@192.0.2.1", bye.RequestUri.ToString());
        Assert.Equal(["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"], bye.GetHeaderValues("Route").ToArray());
    }

    [Fact]
    public void StrictFirstRoute_BecomesTheRequestUri_AndTheRemoteTargetTheLastRoute()
    {
        // RFC 3261 §12.2.1.1: a first route without lr is a strict router (RFC 2543); its URI (minus method) is the
        // Request-URI, the other routes follow, and the remote target goes last.
        var invite = Invite().SetHeader("Record-Route", "<sip:strict.example.com;method=INVITE>, <sip:p2.example.com;lr>");
        var dialog = Dialog.CreateAsUas(invite, "b1", SipUri.Parse("sip:b@192.0.2.2"));
        var info = dialog.CreateRequest(SipMethods.Info);
        Assert.Equal("sip:strict.example.com", info.RequestUri.ToString());
        Assert.Equal(["<sip:p2.example.com;lr>", "<sip:a@192.0.2.1>"], info.GetHeaderValues("Route").ToArray());
    }
}
