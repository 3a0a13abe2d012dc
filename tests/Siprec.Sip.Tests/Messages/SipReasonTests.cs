using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Messages;

/// <summary>RFC 3326 §2 <c>Reason</c> values: what an SRS or a proxy says when it hangs up.</summary>
public sealed class SipReasonTests
{
    [Theory]
    [InlineData("SIP ;cause=507 ;text=\"storage full\"", "SIP", 507, "storage full")]
    [InlineData("SIP;cause=408;text=\"no RTP for 30 s\"", "SIP", 408, "no RTP for 30 s")]
    [InlineData("Q.850 ;cause=16 ;text=\"Terminated\"", "Q.850", 16, "Terminated")]
    [InlineData("SIP ;cause=200", "SIP", 200, null)]
    [InlineData("SIP ;text=\"a \\\"quoted\\\" word\" ;cause=503", "SIP", 503, "a \"quoted\" word")]
    public void TryParse_ReadsProtocolCauseAndText(string value, string protocol, int cause, string? text)
    {
        Assert.True(SipReason.TryParse(value, out var reason));
        Assert.Equal(new SipReason(protocol, cause, text), reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SIP")]
    [InlineData(";cause=503")]
    [InlineData("SIP ;cause=abc")]
    [InlineData("SIP ;cause=")]
    [InlineData("SIP ;cause=503 ;text=\"unterminated")]
    public void TryParse_RefusesWhatIsNotAReasonValue(string value) => Assert.False(SipReason.TryParse(value, out _));

    [Fact]
    public void Find_TakesTheSipValueOfAHeaderWithSeveralProtocols_AndKeepsACommaInsideTheText()
    {
        var bye = new SipRequest(SipMethods.Bye, SipUri.Parse("sip:src@127.0.0.1"))
        {
            Headers = [new SipHeader("Reason", "Q.850 ;cause=16, SIP ;cause=507 ;text=\"storage full, no space left\"")],
        };

        Assert.Equal(new SipReason("SIP", 507, "storage full, no space left"), SipReason.Find(bye, "SIP"));
        Assert.Equal(2, SipReason.ReadAll(bye).Count);
        Assert.Equal("SIP ;cause=507 ;text=\"storage full, no space left\"", SipReason.Find(bye, "sip")!.ToString());
    }
}
