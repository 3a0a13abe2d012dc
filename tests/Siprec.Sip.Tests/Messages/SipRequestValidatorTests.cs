using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Tests.Messages;

public sealed class SipRequestValidatorTests
{
    private static SipRequest Request(string method = "INVITE", string uri = "sip:srs@example.com", string? cseqMethod = null, params (string Name, string Value)[] extra)
    {
        var headers = new List<SipHeader>
        {
            new("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds"),
            new("Max-Forwards", "70"),
            new("From", "<sip:src@example.com>;tag=1928301774"),
            new("To", "<sip:srs@example.com>"),
            new("Call-ID", "a84b4c76e66710"),
            new("CSeq", "314159 " + (cseqMethod ?? method)),
        };
        headers.AddRange(extra.Select(e => new SipHeader(e.Name, e.Value)));
        return new SipRequest(method, SipUri.Parse(uri)) { Headers = headers };
    }

    private static SipResponse Reject(SipRequest request, SipValidationPolicy? policy = null)
    {
        Assert.False(SipRequestValidator.TryValidate(request, policy ?? SipValidationPolicy.Default, out var rejection));
        Assert.NotNull(rejection);
        Assert.NotNull(rejection!.To!.Tag);
        Assert.StartsWith("399 siprec \"", rejection.GetHeader("Warning"));
        Assert.Equal(request.CallId, rejection.CallId);
        return rejection;
    }

    [Fact]
    public void TryValidate_AcceptsAPlainInvite()
    {
        Assert.True(SipRequestValidator.TryValidate(Request(), SipValidationPolicy.Default, out var rejection));
        Assert.Null(rejection);
    }

    [Fact]
    public void TryValidate_Answers416_ForAnUnsupportedRequestUriScheme()
    {
        Assert.Equal(416, Reject(Request(uri: "tel:+15551234")).StatusCode);
    }

    [Fact]
    public void TryValidate_AcceptsAnotherScheme_WhenThePolicyListsIt()
    {
        var policy = SipValidationPolicy.Default with { SupportedSchemes = ["sip", "tel"] };
        Assert.True(SipRequestValidator.TryValidate(Request(uri: "tel:+15551234"), policy, out _));
    }

    [Fact]
    public void TryValidate_Answers420WithUnsupported_ListingOnlyUnknownRequireAndProxyRequireTags()
    {
        var response = Reject(Request(extra: [("Require", "timer, foo"), ("Proxy-Require", "bar, FOO")]));
        Assert.Equal(420, response.StatusCode);
        Assert.Equal(["foo", "bar"], response.GetHeaderValues("Unsupported"));
    }

    [Fact]
    public void TryValidate_AcceptsSupportedRequireTags()
    {
        Assert.True(SipRequestValidator.TryValidate(Request(extra: [("Require", "siprec"), ("Require", "100rel,timer")]), SipValidationPolicy.Default, out _));
    }

    [Fact]
    public void TryValidate_Answers415WithAccept_ForABodyOfAnotherType()
    {
        var request = Request().WithBody("application/unknownformat", Encoding.ASCII.GetBytes("<audio/>"));
        var response = Reject(request);
        Assert.Equal(415, response.StatusCode);
        Assert.Contains("application/sdp", response.GetHeaderValues("Accept"));
        Assert.Contains("application/rs-metadata+xml", response.GetHeaderValues("Accept"));
    }

    [Fact]
    public void TryValidate_AcceptsMultipartAndSdpBodies_AndIgnoresContentTypeWithoutBody()
    {
        var multipart = Request().WithBody("multipart/mixed;boundary=x", Encoding.ASCII.GetBytes("--x\r\n\r\nhi\r\n--x--"));
        Assert.True(SipRequestValidator.TryValidate(multipart, SipValidationPolicy.Default, out _));
        var alternative = Request().WithBody("multipart/alternative;boundary=x", Encoding.ASCII.GetBytes("--x\r\n\r\nhi\r\n--x--"));
        Assert.True(SipRequestValidator.TryValidate(alternative, SipValidationPolicy.Default, out _));
        var empty = Request().AddHeader("Content-Type", "application/unknownformat");
        Assert.True(SipRequestValidator.TryValidate(empty, SipValidationPolicy.Default, out _));
    }

    [Fact]
    public void TryValidate_Answers400_ForABodyWithoutContentType()
    {
        Assert.Equal(400, Reject(Request() with { Body = new byte[] { 1, 2 } }).StatusCode);
    }

    [Fact]
    public void TryValidate_Answers483_ForMaxForwardsZeroOnInvite_ButLetsOptionsThrough()
    {
        Assert.Equal(483, Reject(Request().SetHeader("Max-Forwards", "0")).StatusCode);
        Assert.True(SipRequestValidator.TryValidate(Request("OPTIONS").SetHeader("Max-Forwards", "0"), SipValidationPolicy.Default, out _));
    }

    [Fact]
    public void TryValidate_Answers400_ForACSeqMethodMismatchOnAKnownMethod()
    {
        Assert.Equal(400, Reject(Request("OPTIONS", cseqMethod: "INVITE")).StatusCode);
    }

    [Fact]
    public void TryValidate_Answers501_ForACSeqMethodMismatchOnAnUnknownMethod()
    {
        Assert.Equal(501, Reject(Request("NEWMETHOD", cseqMethod: "INVITE")).StatusCode);
    }

    [Theory]
    [InlineData("Call-ID", "other@host")]
    [InlineData("i", "other@host")]
    [InlineData("CSeq", "2 INVITE")]
    [InlineData("From", "<sip:x@example.com>;tag=2")]
    [InlineData("t", "<sip:y@example.com>")]
    [InlineData("Max-Forwards", "70")]
    [InlineData("Content-Length", "0")]
    public void TryValidate_Answers400_WhenASingleValuedHeaderRepeats(string name, string value)
    {
        var request = Request(extra: [(name, value)]);
        if (name == "Content-Length") request = request.AddHeader("l", "0");
        var response = Reject(request);
        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public void TryValidate_DropsAnInvalidAck_WithoutAResponse()
    {
        var ack = Request("ACK", cseqMethod: "INVITE");
        Assert.False(SipRequestValidator.TryValidate(ack, SipValidationPolicy.Default, out var rejection));
        Assert.Null(rejection);
    }
}
