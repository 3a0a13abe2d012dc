using Siprec.Sip.Messages;
using static Siprec.Sip.Tests.Conformance.Rfc4475Corpus;

namespace Siprec.Sip.Tests.Conformance;

/// <summary>RFC 4475 §3.1.2: syntactically invalid messages get the named response, are dropped, or (where the RFC allows) are read liberally.</summary>
public sealed class Rfc4475InvalidTests
{
    [SkippableFact]
    public void Badinv01_ExtraneousHeaderSeparators_Get400() => Rejected("badinv01.dat", 400);

    [SkippableFact]
    public void Clerr_ContentLengthLargerThanDatagram_Gets400NamingContentLength()
    {
        var result = Rejected("clerr.dat", 400);
        Assert.Contains("Content-Length 9999", result.Problem);
    }

    [SkippableFact]
    public void Ncl_NegativeContentLength_Gets400() => Assert.Contains("Content-Length", Rejected("ncl.dat", 400).Problem);

    [SkippableFact]
    public void Scalar02_CSeqAbove2To32_Gets400() => Assert.Contains("CSeq", Rejected("scalar02.dat", 400).Problem);

    [SkippableFact]
    public void Scalarlg_ResponseWithOverlargeScalars_IsDropped() => Dropped("scalarlg.dat");

    [SkippableFact]
    public void Quotbal_UnterminatedQuotedDisplayName_Gets400() => Assert.Contains("To", Rejected("quotbal.dat", 400).Problem);

    [SkippableFact]
    public void Ltgtruri_AngleBracketsAroundRequestUri_Get400() => Assert.Contains("Request-URI", Rejected("ltgtruri.dat", 400).Problem);

    [SkippableFact]
    public void Lwsruri_WhitespaceInsideRequestUri_Gets400() => Rejected("lwsruri.dat", 400);

    [SkippableFact]
    public void Lwsstart_MultipleSpacesInRequestLine_AreAcceptedLiberally()
    {
        var request = Valid<SipRequest>("lwsstart.dat");
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("sip:user@example.com", request.RequestUri.ToString());
        Assert.Equal(150, request.Body.Length);
    }

    [SkippableFact]
    public void Trws_TrailingSpacesAfterVersion_AreAcceptedLiberally()
    {
        var request = Valid<SipRequest>("trws.dat");
        Assert.Equal("OPTIONS", request.Method);
        Assert.Equal("remote-target", request.RequestUri.User);
    }

    [SkippableFact]
    public void Escruri_HeadersInRequestUri_Get400() => Assert.Contains("headers", Rejected("escruri.dat", 400).Problem);

    [SkippableFact]
    public void Baddate_NonGmtDate_IsIgnoredBecauseDateDoesNotMatterHere()
    {
        var request = Valid<SipRequest>("baddate.dat");
        Assert.Equal("Fri, 01 Jan 2010 16:00:00 EST", request.GetHeader("Date"));
    }

    [SkippableFact]
    public void Regbadct_AddrSpecWithHeadersOutsideAngles_Gets400() => Assert.Contains("Contact", Rejected("regbadct.dat", 400).Problem);

    [SkippableFact]
    public void Badaspec_SpacesInsideAngleBrackets_Get400() => Assert.Contains("To", Rejected("badaspec.dat", 400).Problem);

    [SkippableFact]
    public void Baddn_UnterminatedHeaderBlock_Gets400() => Assert.Contains("empty line", Rejected("baddn.dat", 400).Problem);

    [SkippableFact]
    public void BaddnVariant_NonTokenDisplayName_Gets400() => Assert.Contains("From", Rejected("baddn.with-final-crlf.variant.txt", 400).Problem);

    [SkippableFact]
    public void Badvers_UnknownVersion_Gets505() => Assert.Contains("SIP/7.0", Rejected("badvers.dat", 505).Problem);

    [SkippableFact]
    public void Mismatch01_CSeqMethodDiffersFromKnownMethod_Gets400() => Assert.Contains("CSeq", Rejected("mismatch01.dat", 400).Problem);

    [SkippableFact]
    public void Mismatch02_CSeqMethodDiffersFromUnknownMethod_Gets501() => Assert.Contains("NEWMETHOD", Rejected("mismatch02.dat", 501).Problem);

    [SkippableFact]
    public void Bigcode_StatusCodeAbove699_IsDropped() => Assert.Contains("status code", Dropped("bigcode.dat").Problem);
}
