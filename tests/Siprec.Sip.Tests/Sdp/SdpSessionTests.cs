using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Sdp;

public sealed class SdpSessionTests
{
    public static TheoryData<string, bool> VendorOffers()
    {
        var data = new TheoryData<string, bool>();
        foreach (var file in new[]
                 {
                     "vendor-offers/acme-siprec-offer.txt", "vendor-offers/broadworks-offer-2.txt", "vendor-offers/cisco-siprec-offer.txt",
                     "vendor-offers/connectel-offer.txt", "vendor-offers/inactive-sdp-offer.txt", "vendor-offers/procomm-siprec-offer.txt",
                     "vendor-offers/sonus-siprec-offer.txt", "vendor-offers-extra/audiocodes-siprec-offer.txt",
                     "vendor-offers-extra/avaya-siprec-offer.txt", "vendor-offers-extra/broadworks-recording-metadata-offer.txt",
                 })
        {
            data.Add(file, false);
            data.Add(file, true);
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(VendorOffers))]
    public void VendorOffer_SdpPartSurvivesParseSerializeParse(string file, bool crlf)
    {
        var bytes = File.ReadAllBytes(Siprec.Testing.Conformance.File(["siprec-vendors", .. file.Split('/')]));
        if (crlf) bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\n", "\r\n"));
        var boundary = Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("--", StringComparison.Ordinal))[2..];
        Assert.True(MultipartBody.TryParse(bytes, boundary, out var parts, out var error), error);
        var sdpPart = parts.Single(p => p.ContentType!.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase));
        Assert.True(SdpSession.TryParse(sdpPart.Body.Span, out var first, out error), error);
        Assert.NotEmpty(first!.Media);
        Assert.True(SdpSession.TryParse(first.ToString(), out var second, out error), error);
        Assert.Equal(first.Origin, second!.Origin);
        Assert.Equal(first.Media.Select(m => (m.Port, m.Label, m.Direction, first.ConnectionFor(m))),
                     second.Media.Select(m => (m.Port, m.Label, m.Direction, second.ConnectionFor(m))));
        Assert.Equal(first.Media.Select(m => m.Attributes.Count), second.Media.Select(m => m.Attributes.Count));
        Assert.Equal(first.ToString(), second.ToString());
    }

    [SkippableFact]
    public void InactiveOffer_ReportsInactiveOnEveryStream()
    {
        var bytes = File.ReadAllBytes(Siprec.Testing.Conformance.File("siprec-vendors", "vendor-offers", "inactive-sdp-offer.txt"));
        var boundary = Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("--", StringComparison.Ordinal))[2..];
        Assert.True(MultipartBody.TryParse(bytes, boundary, out var parts, out _));
        Assert.True(SdpSession.TryParse(parts[0].Body.Span, out var sdp, out var error), error);
        Assert.All(sdp!.Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
    }

    [Fact]
    public void MediaLevelConnection_OverridesSessionLevel_AndUnknownLinesSurvive()
    {
        const string text = "v=0\no=- 10 2 IN IP4 10.0.0.1\ns=rec\ni=info\nc=IN IP4 10.0.0.1\nb=AS:64\nt=0 0\na=tool:x\n" +
                            "m=audio 4000 RTP/AVP 0 8\nc=IN IP4 10.0.0.2\nb=TIAS:64000\na=label:1\na=sendonly\na=x-unknown:yes\n" +
                            "m=audio 4002 RTP/AVP 0\na=label:2\n";
        Assert.True(SdpSession.TryParse(text, out var sdp, out var error), error);
        Assert.Equal("10.0.0.2", sdp!.ConnectionFor(sdp.Media[0])!.Address);
        Assert.Equal("10.0.0.1", sdp.ConnectionFor(sdp.Media[1])!.Address);
        Assert.Equal("1", sdp.Media[0].Label);
        Assert.Equal(SdpDirection.SendOnly, sdp.Media[0].Direction);
        Assert.Equal(SdpDirection.SendRecv, sdp.Media[1].Direction);
        var output = sdp.ToString();
        Assert.Contains("b=AS:64\r\n", output);
        Assert.Contains("b=TIAS:64000\r\n", output);
        Assert.Contains("a=x-unknown:yes\r\n", output);
        Assert.Contains("i=info\r\n", output);
        Assert.StartsWith("v=0\r\no=- 10 2 IN IP4 10.0.0.1\r\ns=rec\r\ni=info\r\nc=IN IP4 10.0.0.1\r\nb=AS:64\r\nt=0 0\r\n", output);
    }

    [Fact]
    public void WithDirection_ReplacesTheDirectionInPlace()
    {
        Assert.True(SdpSession.TryParse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 5 RTP/AVP 0\r\na=label:1\r\na=sendonly\r\na=ptime:20\r\n", out var sdp, out _));
        var paused = sdp!.Media[0].WithDirection(SdpDirection.Inactive);
        Assert.Equal(["label", "inactive", "ptime"], paused.Attributes.Select(a => a.Name).ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("o=- 1 1 IN IP4 1.2.3.4\r\n")]
    [InlineData("v=0\r\ns=-\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm =video 3227 RTP/AVP 31\r\n")]
    public void TryParse_RejectsBrokenSdpWithAReason(string text)
    {
        Assert.False(SdpSession.TryParse(text, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
