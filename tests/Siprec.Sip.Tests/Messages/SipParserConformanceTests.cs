using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Messages;

public sealed class SipParserConformanceTests
{
    private static SipMessage ParseValid(string file)
    {
        var bytes = File.ReadAllBytes(Conformance.File("rfc4475", file));
        Assert.True(SipParser.TryParse(bytes, out var message, out var error), $"{file}: {error.Reason} {error.Detail}");
        return message!;
    }

    private static SipParseError ParseInvalid(string file)
    {
        var bytes = File.ReadAllBytes(Conformance.File("rfc4475", file));
        Assert.False(SipParser.TryParse(bytes, out var message, out var error), $"{file} parsed but should not");
        Assert.Null(message);
        return error;
    }

    [SkippableFact]
    public void Wsinv_ShortTortuousInvite_ParsesFoldedAndSpacedHeaders()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("wsinv.dat"));
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("chair-dnrc.example.com", request.RequestUri.Host);
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
        Assert.Equal(150, request.Body.Length);
        Assert.Equal("", request.GetHeader("Subject"));
    }

    [SkippableFact]
    public void Intmeth_WideRangeOfCharacters_KeepsMethodAndUserPart()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("intmeth.dat"));
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", request.RequestUri.User);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Equal(139122385u, request.CSeq!.Value.Sequence);
        Assert.Equal("_token~1'+`*%!-.", request.From!.Tag);
    }

    [SkippableFact]
    public void Esc01_EscapedUri_KeepsEscapesAndReadsCompactContentType()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("esc01.dat"));
        Assert.Equal("sips%3Auser%40example.com", request.RequestUri.User);
        Assert.Equal("application/sdp", request.ContentType);
        Assert.Equal("esc01.239409asdfakjkn23onasd0-3234", request.CallId);
        Assert.Equal("cal%6Cer", request.Contact!.Uri.User);
    }

    [SkippableFact]
    public void Escnull_EscapedNulls_DoNotTruncateTheUser()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("escnull.dat"));
        Assert.Equal("null-%00-null", request.To!.Uri.User);
        Assert.Equal(2, request.GetHeaderValues("Contact").Count);
    }

    [SkippableFact]
    public void Esc02_PercentInMethod_IsNotRegisterAndEscapedHeaderNameIsUnknown()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("esc02.dat"));
        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.Equal(2, request.GetHeaderValues("Contact").Count);
        Assert.Equal("<sip:alias2@host2.example.com>", request.GetHeader("C%6Fntact"));
    }

    [SkippableFact]
    public void Lwsdisp_DisplayNameWithoutSpace_Parses()
    {
        var request = ParseValid("lwsdisp.dat");
        Assert.Equal("caller", request.From!.DisplayName);
        Assert.Equal("323", request.From.Tag);
    }

    [SkippableFact]
    public void Longreq_LongValues_Parse()
    {
        var request = ParseValid("longreq.dat");
        Assert.True(request.GetHeaderValues("Via").Count >= 1);
        Assert.True(request.Headers.Max(h => h.Value.Length) > 200);
        Assert.NotNull(request.From!.Tag);
    }

    [SkippableFact]
    public void Dblreq_TrailingOctets_AreIgnoredByContentLength()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("dblreq.dat"));
        Assert.Equal("REGISTER", request.Method);
        Assert.Equal(0, request.Body.Length);
        Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412", request.CallId);
    }

    [SkippableFact]
    public void Semiuri_SemicolonInUserPart_StaysInTheUser()
    {
        var request = Assert.IsType<SipRequest>(ParseValid("semiuri.dat"));
        Assert.Equal("user;par=u%40example.net", request.RequestUri.User);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Empty(request.RequestUri.Parameters);
        Assert.Equal(6, request.GetHeaderValues("Accept").Count);
    }

    [SkippableFact]
    public void Transports_UnknownTransportTokens_Parse()
    {
        var request = ParseValid("transports.dat");
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], request.Vias.Select(v => v.Transport).ToArray());
    }

    [SkippableFact]
    public void Mpart01_BinaryMultipart_IsFramedByContentLength()
    {
        var request = ParseValid("mpart01.dat");
        Assert.Equal(553, request.Body.Length);
        Assert.True(MediaType.TryParse(request.ContentType!, out var type));
        Assert.True(MultipartBody.TryParse(request.Body.Span, type!.GetParameter("boundary")!, out var parts, out var error), error);
        Assert.Equal(2, parts.Count);
        Assert.Equal("Hello", Encoding.ASCII.GetString(parts[0].Body.Span));
        Assert.Contains((byte)0, parts[1].Body.ToArray());
    }

    [SkippableFact]
    public void Unreason_Utf8ReasonPhrase_Parses()
    {
        var response = Assert.IsType<SipResponse>(ParseValid("unreason.dat"));
        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("= 2**3 * 5**2 но", response.ReasonPhrase);
        Assert.Equal(154, response.Body.Length);
    }

    [SkippableFact]
    public void Noreason_EmptyReasonPhrase_Parses()
    {
        var response = Assert.IsType<SipResponse>(ParseValid("noreason.dat"));
        Assert.Equal(100, response.StatusCode);
        Assert.Equal("", response.ReasonPhrase);
    }

    [SkippableTheory]
    [InlineData("badvers.dat", SipParseErrorReason.BadVersion, 505)]
    [InlineData("scalar02.dat", SipParseErrorReason.BadCSeq, 400)]
    [InlineData("ncl.dat", SipParseErrorReason.BadContentLength, 400)]
    [InlineData("clerr.dat", SipParseErrorReason.Incomplete, 400)]
    [InlineData("badinv01.dat", SipParseErrorReason.BadHeader, 400)]
    [InlineData("quotbal.dat", SipParseErrorReason.BadHeader, 400)]
    [InlineData("ltgtruri.dat", SipParseErrorReason.BadRequestUri, 400)]
    [InlineData("lwsruri.dat", SipParseErrorReason.BadStartLine, 400)]
    [InlineData("mcl01.dat", SipParseErrorReason.BadContentLength, 400)]
    [InlineData("insuf.dat", SipParseErrorReason.MissingHeader, 400)]
    [InlineData("bigcode.dat", SipParseErrorReason.BadStatusCode, 400)]
    public void InvalidMessage_IsRejectedWithTheSuggestedStatus(string file, SipParseErrorReason reason, int status)
    {
        var error = ParseInvalid(file);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(status, error.SuggestedStatusCode);
        Assert.False(string.IsNullOrEmpty(error.Detail));
    }

    [SkippableFact]
    public void EveryConformanceFile_ParsesOrFailsWithoutThrowing()
    {
        foreach (var path in Directory.GetFiles(Conformance.File("rfc4475"), "*.dat"))
        {
            var ok = SipParser.TryParse(File.ReadAllBytes(path), out var message, out var error);
            Assert.Equal(ok, message is not null);
            Assert.Equal(ok, error.Reason == SipParseErrorReason.None);
        }
    }
}
