using System.Net;
using Siprec.Media.Srtp;
using Siprec.Recorder.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Tests.Offers;

public sealed class SdpAnswerBuilderSrtpTests
{
    private static SdpSession Offer(params SdpMediaDescription[] media) =>
        new(new SdpOrigin("src", 1, 1, "IN", "IP4", "127.0.0.1"), "-", new SdpConnection("IN", "IP4", "127.0.0.1"), [], media);

    private static SdpMediaDescription Savp(int port, string label, params string[] cryptos) =>
        new("audio", port, "RTP/SAVP", ["0"], null,
            [new("label", label), new("sendonly", null), .. cryptos.Select(c => new SdpAttribute("crypto", c))]);

    [Fact]
    public void Plan_AcceptsSavpWithASupportedCrypto_AndAnswersWithAFreshKeyUnderTheChosenTag()
    {
        var offered = SdesCrypto.CreateRandom(2);
        var offer = Offer(Savp(4000, "1", "1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", offered.FormatAttributeValue()));

        var plans = SdpAnswerBuilder.Plan(offer);
        var answer = SdpAnswerBuilder.BuildAnswer(offer, plans, [5000], IPAddress.Loopback, offer.Origin);

        var plan = Assert.Single(plans);
        Assert.True(plan.Recorded, plan.DeclineReason);
        Assert.Equal(offered.MasterKey.KeyAndSalt.ToArray(), plan.OfferedCrypto!.MasterKey.KeyAndSalt.ToArray());
        var line = Assert.Single(answer.Media);
        Assert.Equal("RTP/SAVP", line.Protocol);
        Assert.Equal(5000, line.Port);
        Assert.True(SdesCrypto.TryParse(line.GetAttribute("crypto"), out var answered, out var error), error);
        Assert.Equal(2, answered!.Tag);
        Assert.Equal(SrtpCryptoSuite.AesCm128HmacSha1_80, answered.Suite);
        Assert.NotEqual(offered.MasterKey.KeyAndSalt.ToArray(), answered.MasterKey.KeyAndSalt.ToArray());
    }

    [Fact]
    public void Plan_GivesEveryStreamItsOwnAnswerKey()
    {
        var offer = Offer(Savp(4000, "1", SdesCrypto.CreateRandom().FormatAttributeValue()), Savp(4002, "2", SdesCrypto.CreateRandom().FormatAttributeValue()));

        var plans = SdpAnswerBuilder.Plan(offer);

        Assert.NotEqual(plans[0].AnswerCrypto!.MasterKey.KeyAndSalt.ToArray(), plans[1].AnswerCrypto!.MasterKey.KeyAndSalt.ToArray());
    }

    [Theory]
    [InlineData(new string[0], "none offered")]
    [InlineData(new[] { "1 AES_256_CM_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR" }, "AES_256_CM_HMAC_SHA1_80")]
    public void Plan_DeclinesSavpWithoutASupportedCrypto_NamingWhy(string[] cryptos, string expected)
    {
        var offer = Offer(Savp(4000, "1", cryptos));

        var plan = Assert.Single(SdpAnswerBuilder.Plan(offer));
        var answer = SdpAnswerBuilder.BuildAnswer(offer, [plan], [5000], IPAddress.Loopback, offer.Origin);

        Assert.False(plan.Recorded);
        Assert.Contains("RTP/SAVP", plan.DeclineReason);
        Assert.Contains(expected, plan.DeclineReason);
        Assert.Equal(0, answer.Media[0].Port);
        Assert.Null(answer.Media[0].GetAttribute("crypto"));
    }
}
