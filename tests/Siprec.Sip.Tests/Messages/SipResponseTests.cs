using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Messages;

/// <summary><see cref="SipResponse.CreateFor"/>: the headers RFC 3261 §8.2.6.2 copies, and Record-Route where §12.1.1 needs it.</summary>
public sealed class SipResponseTests
{
    private static SipRequest Request(string method, string? toTag = null) => new(method, SipUri.Parse("sip:bot@192.0.2.5")) { Headers =
    [
        new SipHeader("Via", "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKp1, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa1"),
        new SipHeader("Record-Route", "<sip:192.0.2.9;transport=tcp;r2=on;lr>"),
        new SipHeader("Record-Route", "<sip:192.0.2.9;r2=on;lr;ftag=x>, <sip:p0.example.com;lr>"),
        new SipHeader("From", "<sip:caller@192.0.2.1>;tag=a1"),
        new SipHeader("To", toTag is null ? "<sip:bot@192.0.2.5>" : "<sip:bot@192.0.2.5>;tag=" + toTag),
        new SipHeader("Call-ID", "c1"),
        new SipHeader("CSeq", "1 " + method),
        new SipHeader("Contact", "<sip:caller@192.0.2.1>"),
    ] };

    [Theory]
    [InlineData(200)]
    [InlineData(180)]
    [InlineData(183)]
    public void DialogCreatingAnswer_ToInvite_CopiesEveryRecordRouteValue_InOrder(int status)
    {
        var response = SipResponse.CreateFor(Request(SipMethods.Invite), status, toTag: "b1");
        Assert.Equal(["<sip:192.0.2.9;transport=tcp;r2=on;lr>", "<sip:192.0.2.9;r2=on;lr;ftag=x>, <sip:p0.example.com;lr>"],
            response.Headers.Where(h => h.Name == "Record-Route").Select(h => h.Value).ToArray());
        Assert.Equal(["192.0.2.9", "192.0.2.9", "p0.example.com"], response.RecordRoutes.Select(r => r.Uri.Host).ToArray());
        Assert.Equal("b1", response.To!.Tag);
    }

    [Fact]
    public void SubscribeTwoHundred_CopiesRecordRoute() =>
        Assert.Equal(3, SipResponse.CreateFor(Request("SUBSCRIBE"), 200, toTag: "b1").RecordRoutes.Count);

    [Theory]
    [InlineData(SipMethods.Invite, 100)]
    [InlineData(SipMethods.Invite, 486)]
    [InlineData(SipMethods.Invite, 302)]
    [InlineData(SipMethods.Options, 200)]
    [InlineData(SipMethods.Info, 200)]
    [InlineData(SipMethods.Bye, 200)]
    public void AnswersThatCreateNoDialog_CarryNoRecordRoute(string method, int status) =>
        Assert.Empty(SipResponse.CreateFor(Request(method), status, toTag: "b1").RecordRoutes);

    [Fact]
    public void CopiesViaFromCallIdAndCSeq_AndNoOtherHeader()
    {
        var response = SipResponse.CreateFor(Request(SipMethods.Options), 200, toTag: "b1");
        Assert.Equal(["Via", "From", "To", "Call-ID", "CSeq"], response.Headers.Select(h => h.Name).ToArray());
        Assert.Equal(2, response.Vias.Count);
    }
}
