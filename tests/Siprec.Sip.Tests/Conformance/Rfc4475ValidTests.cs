using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using static Siprec.Sip.Tests.Conformance.Rfc4475Corpus;

namespace Siprec.Sip.Tests.Conformance;

/// <summary>RFC 4475 §3.1.1: valid messages must parse, with the right values.</summary>
public sealed class Rfc4475ValidTests
{
    [SkippableFact]
    public void Wsinv_ShortTortuousInvite_ParsesFoldedSpacedAndEscapedHeaders()
    {
        var request = Valid<SipRequest>("wsinv.dat");
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("vivekg", request.RequestUri.User);
        Assert.Equal("chair-dnrc.example.com", request.RequestUri.Host);
        Assert.Equal("", request.RequestUri.GetParameter("unknownparam"));
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal("0068", request.MaxForwards);
        Assert.Equal(new CSeq(9, "INVITE"), request.CSeq);
        Assert.Equal(3, request.Vias.Count);
        Assert.Equal("390skdjuw", request.Vias[0].Branch);
        Assert.Equal("TCP", request.Vias[1].Transport);
        Assert.Equal("z9hG4bK30239", request.Vias[2].Branch);
        Assert.Equal("newfangled value continued newfangled value", request.GetHeader("NewFangledHeader"));
        Assert.Equal("Quoted string \"\"", request.Contact!.DisplayName);
        Assert.Equal("0.33", request.Contact.GetParameter("q"));
        Assert.Equal("", request.GetHeader("Subject"));
        Assert.Equal(150, request.Body.Length);
        Assert.True(SdpSession.TryParse(request.Body.Span, out var sdp, out var error), error);
        Assert.Equal(2, sdp!.Media.Count);
    }

    [SkippableFact]
    public void Intmeth_WideRangeOfCharacters_KeepsMethodUserPartAndRawControlCharacters()
    {
        var request = Valid<SipRequest>("intmeth.dat");
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", request.RequestUri.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", request.RequestUri.Password);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Equal(139122385u, request.CSeq!.Value.Sequence);
        Assert.Equal("_token~1'+`*%!-.", request.From!.Tag);
        Assert.Contains("\0", request.To!.DisplayName!, StringComparison.Ordinal);
        Assert.Equal("token1~` token2'+_ token3*%!.-", request.From.DisplayName);
        Assert.Equal("\"работающий\"", request.From.GetParameter("fromParam''~+*_!.-%"));
        Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", request.CallId);
    }

    [SkippableFact]
    public void Esc01_EscapedUri_KeepsEscapesAsReceivedAndUnescapesOnRequest()
    {
        var request = Valid<SipRequest>("esc01.dat");
        Assert.Equal("sips%3Auser%40example.com", request.RequestUri.User);
        Assert.Equal("sips:user@example.com", SipUri.Unescape(request.RequestUri.User!));
        Assert.Equal("application/sdp", request.ContentType);
        Assert.Equal("esc01.239409asdfakjkn23onasd0-3234", request.CallId);
        Assert.Equal("cal%6Cer", request.Contact!.Uri.User);
        Assert.Equal("caller", SipUri.Unescape(request.Contact.Uri.User!));
    }

    [SkippableFact]
    public void Escnull_EscapedNulls_DoNotTruncateTheUser()
    {
        var request = Valid<SipRequest>("escnull.dat");
        Assert.Equal("null-%00-null", request.To!.Uri.User);
        Assert.Equal("null-\0-null", SipUri.Unescape(request.To.Uri.User!));
        Assert.Equal(2, request.GetHeaderValues("Contact").Count);
    }

    [SkippableFact]
    public void Esc02_PercentInMethod_IsNotRegisterAndEscapedHeaderNameIsUnknown()
    {
        var request = Valid<SipRequest>("esc02.dat");
        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.Equal(2, request.GetHeaderValues("Contact").Count);
        Assert.Equal("<sip:alias2@host2.example.com>", request.GetHeader("C%6Fntact"));
    }

    [SkippableFact]
    public void Lwsdisp_DisplayNameWithoutSpaceBeforeAngle_Parses()
    {
        var request = Valid<SipRequest>("lwsdisp.dat");
        Assert.Equal("caller", request.From!.DisplayName);
        Assert.Equal("323", request.From.Tag);
    }

    [SkippableFact]
    public void Longreq_LongValues_ParseWhole()
    {
        var request = Valid<SipRequest>("longreq.dat");
        Assert.Equal("INVITE", request.Method);
        Assert.Equal(34, request.Vias.Count);
        Assert.True(request.From!.Tag!.Length > 100);
        Assert.StartsWith("I have a user name of extremeextreme", request.To!.DisplayName);
        Assert.Equal(150, request.Body.Length);
    }

    [SkippableFact]
    public void Dblreq_TrailingOctets_AreIgnoredByContentLength()
    {
        var request = Valid<SipRequest>("dblreq.dat");
        Assert.Equal("REGISTER", request.Method);
        Assert.Equal(0, request.Body.Length);
        Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412", request.CallId);
    }

    [SkippableFact]
    public void Semiuri_SemicolonInUserPart_StaysInTheUser()
    {
        var request = Valid<SipRequest>("semiuri.dat");
        Assert.Equal("user;par=u%40example.net", request.RequestUri.User);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Empty(request.RequestUri.Parameters);
        Assert.Equal(6, request.GetHeaderValues("Accept").Count);
    }

    [SkippableFact]
    public void Transports_UnknownTransportTokens_Parse()
    {
        var request = Valid<SipRequest>("transports.dat");
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], request.Vias.Select(v => v.Transport).ToArray());
    }

    [SkippableFact]
    public void Mpart01_BinaryMultipart_IsFramedByContentLengthAndSplitByteExact()
    {
        var request = Valid<SipRequest>("mpart01.dat");
        Assert.Equal(553, request.Body.Length);
        Assert.True(MediaType.TryParse(request.ContentType!, out var type));
        Assert.True(MultipartBody.TryParse(request.Body.Span, type!.GetParameter("boundary")!, out var parts, out var error), error);
        Assert.Equal(2, parts.Count);
        Assert.Equal("text/plain", parts[0].ContentType);
        Assert.Equal("Hello", Encoding.ASCII.GetString(parts[0].Body.Span));
        Assert.Equal("application/octet-stream", parts[1].ContentType);
        Assert.Contains((byte)0, parts[1].Body.ToArray());
    }

    [SkippableFact]
    public void Unreason_Utf8ReasonPhrase_Parses()
    {
        var response = Valid<SipResponse>("unreason.dat");
        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("= 2**3 * 5**2 но", response.ReasonPhrase);
        Assert.Equal(154, response.Body.Length);
    }

    [SkippableFact]
    public void Noreason_EmptyReasonPhrase_Parses()
    {
        var response = Valid<SipResponse>("noreason.dat");
        Assert.Equal(100, response.StatusCode);
        Assert.Equal("", response.ReasonPhrase);
    }
}
