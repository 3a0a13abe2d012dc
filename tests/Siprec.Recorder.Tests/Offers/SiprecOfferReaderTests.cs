using System.Net;
using System.Text;
using Siprec.Recorder.Offers;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Tests.Offers;

public sealed class SiprecOfferReaderTests
{
    private static readonly SdpOrigin Origin = new("siprec-srs", 1, 1, "IN", "IP4", "127.0.0.1");

    [SkippableTheory]
    [MemberData(nameof(VendorOffer.All), MemberType = typeof(VendorOffer))]
    public void VendorOffer_IsAnsweredWithTheSameMLinesAndLabels_OrRejectedWithAReason(string folder, string name, bool crlf)
    {
        var vendor = VendorOffer.Load(folder, name, crlf);

        var read = SiprecOfferReader.TryReadInitial(vendor.ContentType, vendor.Body, out var offer, out var error);

        if (VendorOffer.Rejected.Contains(name))
        {
            Assert.False(read);
            Assert.Contains("rs-metadata", error);
            return;
        }
        Assert.True(read, error);
        Assert.NotNull(offer!.Metadata);
        var plans = SdpAnswerBuilder.Plan(offer.Sdp);
        Assert.Contains(plans, p => p.Recorded);
        var ports = plans.Select((p, i) => p.Recorded ? 40000 + 2 * i : 0).ToList();

        var answer = SdpAnswerBuilder.BuildAnswer(offer.Sdp, plans, ports, IPAddress.Loopback, Origin);

        Assert.True(SdpSession.TryParse(answer.ToString(), out var reparsed, out var answerError), answerError);
        Assert.Equal(vendor.MediaLines, reparsed!.Media.Count);
        Assert.Equal(vendor.Labels, reparsed.Media.Select(m => m.Label).OfType<string>());
        for (var i = 0; i < plans.Count; i++)
        {
            var media = reparsed.Media[i];
            if (!plans[i].Recorded)
            {
                Assert.Equal(0, media.Port);
                continue;
            }
            Assert.Equal(ports[i], media.Port);
            var expected = offer.Sdp.Media[i].Direction == SdpDirection.Inactive ? SdpDirection.Inactive : SdpDirection.RecvOnly;
            Assert.Equal(expected, media.Direction);
            Assert.All(media.Formats, f => Assert.Contains(f, new[] { "0", "8" }));
        }
        if (name == "cisco-siprec-offer-unescaped-ampersand.txt")
            Assert.Contains("not well-formed", offer.Metadata!.Error);
        else
            Assert.Null(offer.Metadata!.Error);
    }

    [Fact]
    public void TryReadInitial_RejectsAPlainSdpOfferWithAReasonNamingTheMissingMetadata()
    {
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n";

        var read = SiprecOfferReader.TryReadInitial("application/sdp", Encoding.ASCII.GetBytes(sdp), out _, out var error);

        Assert.False(read);
        Assert.Contains("plain SDP offer without recording metadata", error);
    }

    [Fact]
    public void TryReadInitial_RejectsAnInviteWithoutBody()
    {
        Assert.False(SiprecOfferReader.TryReadInitial(null, ReadOnlyMemory<byte>.Empty, out _, out var error));
        Assert.Contains("no body", error);
    }

    [Fact]
    public void TryReadInitial_FindsTheBoundaryFromTheFirstDelimiterWhenTheParameterIsMissing()
    {
        var body = "\n--b1\nContent-Type: application/rs-metadata+xml\n\n<recording xmlns='urn:ietf:params:xml:ns:recording:1'/>\n"
                   + "--b1\nContent-Type: application/sdp\n\nv=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 8\na=label:9\na=sendonly\n\n--b1--\n";

        var read = SiprecOfferReader.TryReadInitial("multipart/mixed", Encoding.ASCII.GetBytes(body), out var offer, out var error);

        Assert.True(read, error);
        Assert.Equal("9", Assert.Single(offer!.Sdp.Media).Label);
        Assert.Null(offer.Metadata!.Error);
    }

    [Fact]
    public void TryReadUpdate_AcceptsABareSdpReoffer()
    {
        var sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=inactive\r\n";

        var read = SiprecOfferReader.TryReadUpdate("application/sdp", Encoding.ASCII.GetBytes(sdp), out var offer, out var error);

        Assert.True(read, error);
        Assert.Null(offer!.Metadata);
    }
}
