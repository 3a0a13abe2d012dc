using Siprec.Sip.Messages;
using static Siprec.Sip.Tests.Conformance.Rfc4475Corpus;

namespace Siprec.Sip.Tests.Conformance;

/// <summary>RFC 4475 §3.2–§3.4: messages that parse; the torture is in what the UAS does with them.</summary>
public sealed class Rfc4475SemanticTests
{
    [SkippableFact]
    public void Badbranch_BareMagicCookieBranch_ParsesAndFallsBackToRfc2543Matching()
    {
        var request = Valid<SipRequest>("badbranch.dat");
        Assert.Equal("z9hG4bK", request.Vias[0].Branch);
    }

    [SkippableFact]
    public void Insuf_MissingRequiredHeaders_Gets400NamingTheHeader()
    {
        var result = Rejected("insuf.dat", 400);
        Assert.Contains("missing", result.Problem);
    }

    [SkippableFact]
    public void Unkscm_UnknownRequestUriScheme_Gets416()
    {
        var result = Rejected("unkscm.dat", 416);
        var request = Assert.IsType<SipRequest>(result.Message);
        Assert.Equal("nobodyknowsthisscheme", request.RequestUri.Scheme);
        Assert.Equal("totallyopaquecontent", request.RequestUri.Opaque);
    }

    [SkippableFact]
    public void Novelsc_AtypicalSchemeSoapBeep_Gets416()
    {
        var result = Rejected("novelsc.dat", 416);
        Assert.Equal("soap.beep", Assert.IsType<SipRequest>(result.Message).RequestUri.Scheme);
    }

    [SkippableFact]
    public void Unksm2_UnknownSchemesInToFromContact_ParseAsOpaqueUris()
    {
        var request = Valid<SipRequest>("unksm2.dat");
        Assert.Equal("isbn", request.To!.Uri.Scheme);
        Assert.Equal("2983792873", request.To.Uri.Opaque);
        Assert.Equal("http", request.From!.Uri.Scheme);
        Assert.Equal("3234233", request.From.Tag);
        Assert.Equal("name:John_Smith", request.Contact!.Uri.ToString());
    }

    [SkippableFact]
    public void Bext01_UnknownRequireAndProxyRequire_Get420ListingAllFour()
    {
        var request = Assert.IsType<SipRequest>(Rejected("bext01.dat", 420).Message);
        Assert.False(SipRequestValidator.TryValidate(request, SipValidationPolicy.Default, out var response));
        Assert.Equal(
            ["nothingSupportsThis", "nothingSupportsThisEither", "noProxiesSupportThis", "norDoAnyProxiesSupportThis"],
            response!.GetHeaderValues("Unsupported"));
    }

    [SkippableFact]
    public void Invut_UnknownContentType_Gets415WithAccept()
    {
        var request = Assert.IsType<SipRequest>(Rejected("invut.dat", 415).Message);
        Assert.False(SipRequestValidator.TryValidate(request, SipValidationPolicy.Default, out var response));
        Assert.Contains("application/sdp", response!.GetHeaderValues("Accept"));
    }

    [SkippableFact]
    public void Regaut01_UnknownAuthorizationScheme_ParsesForTheApplicationToChallenge()
    {
        var request = Valid<SipRequest>("regaut01.dat");
        Assert.Equal("NoOneKnowsThisScheme opaque-data=here", request.GetHeader("Authorization"));
    }

    [SkippableFact]
    public void Multi01_RepeatedSingleValuedHeaders_Get400()
    {
        var result = Rejected("multi01.dat", 400);
        Assert.Contains("single-valued", result.Problem);
    }

    [SkippableFact]
    public void Mcl01_TwoDifferentContentLengths_Get400() => Assert.Contains("Content-Length", Rejected("mcl01.dat", 400).Problem);

    [SkippableFact]
    public void Bcast_ResponseWithBroadcastVia_ParsesForTheTransportToRefuse()
    {
        var response = Valid<SipResponse>("bcast.dat");
        Assert.Equal("255.255.255.255", response.Vias[1].Host);
        Assert.Equal(154, response.Body.Length);
    }

    [SkippableFact]
    public void Zeromf_OptionsWithMaxForwardsZero_MayBeAnsweredByTheUas()
    {
        var request = Valid<SipRequest>("zeromf.dat");
        Assert.Equal("0", request.MaxForwards);
        var info = (request with { Method = "INFO" }).SetHeader("CSeq", "39234321 INFO");
        Assert.False(SipRequestValidator.TryValidate(info, SipValidationPolicy.Default, out var rejection));
        Assert.Equal(483, rejection!.StatusCode);
    }

    [SkippableFact]
    public void Cparam01_ParameterAfterAddrSpec_IsAHeaderParameter()
    {
        var contact = Valid<SipRequest>("cparam01.dat").Contact!;
        Assert.Equal("", contact.GetParameter("unknownparam"));
        Assert.Empty(contact.Uri.Parameters);
    }

    [SkippableFact]
    public void Cparam02_ParameterInsideAngles_IsAUriParameter()
    {
        var contact = Valid<SipRequest>("cparam02.dat").Contact!;
        Assert.Equal("", contact.Uri.GetParameter("unknownparam"));
        Assert.Empty(contact.Parameters);
    }

    [SkippableFact]
    public void Regescrt_EscapedHeaderInContactUri_StaysPartOfTheUri()
    {
        var contact = Valid<SipRequest>("regescrt.dat").Contact!;
        Assert.Equal([new KeyValuePair<string, string>("Route", "%3Csip:sip.example.com%3E")], contact.Uri.Headers);
        Assert.Equal("<sip:sip.example.com>", SipUri.Unescape(contact.Uri.Headers[0].Value));
    }

    [SkippableFact]
    public void Sdp01_InviteWhoseAcceptExcludesSdp_Gets406() => Assert.Contains("Accept", Rejected("sdp01.dat", 406).Problem);

    [SkippableFact]
    public void Inv2543_Rfc2543StyleInvite_IsAcceptedWithBodyToTheEndOfTheDatagram()
    {
        var request = Valid<SipRequest>("inv2543.dat");
        Assert.Null(request.Vias[0].Branch);
        Assert.Null(request.MaxForwards);
        Assert.Equal("phone", request.To!.GetParameter("user"));
        Assert.Empty(request.To.Uri.Parameters);
        Assert.Equal("ss1.example.com", request.RecordRoutes[0].Uri.GetParameter("maddr"));
        Assert.True(request.Body.Length > 0);
    }
}
