using System.Net;
using Siprec.Recorder.Offers;
using Siprec.Recorder.Sessions;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Tests.Offers;

public sealed class SdpAnswerBuilderTests
{
    private static SdpSession Offer(params SdpMediaDescription[] media) =>
        new(new SdpOrigin("src", 1, 1, "IN", "IP4", "127.0.0.1"), "-", new SdpConnection("IN", "IP4", "127.0.0.1"), [], media);

    private static SdpMediaDescription Audio(int port, string label, string direction = "sendonly", string protocol = "RTP/AVP", params string[] formats) =>
        new("audio", port, protocol, formats.Length == 0 ? ["0"] : formats, null, [new("label", label), new(direction, null)]);

    [Fact]
    public void Plan_DeclinesVideoSrtpAndCodecsOtherThanG711()
    {
        var offer = Offer(
            Audio(4000, "1"),
            new SdpMediaDescription("video", 4002, "RTP/AVP", ["96"], null, [new("label", "2")]),
            Audio(4004, "3", protocol: "RTP/SAVP"),
            Audio(4006, "4", formats: ["9", "18"]),
            Audio(0, "5"));

        var plans = SdpAnswerBuilder.Plan(offer);

        Assert.Equal([true, false, false, false, false], plans.Select(p => p.Recorded));
        Assert.Contains("not audio", plans[1].DeclineReason);
        Assert.Contains("RTP/SAVP", plans[2].DeclineReason);
        Assert.Contains("PCMU or PCMA", plans[3].DeclineReason);
        Assert.Contains("port 0", plans[4].DeclineReason);
    }

    [Fact]
    public void BuildAnswer_KeepsOrderAndLabels_PortZeroForDeclinedLines_RecvOnlyForRecordedOnes()
    {
        var offer = Offer(Audio(4000, "1", formats: ["8", "0", "101"]), new SdpMediaDescription("video", 4002, "RTP/AVP", ["96"], null, [new("label", "2")]));
        var plans = SdpAnswerBuilder.Plan(offer);

        var answer = SdpAnswerBuilder.BuildAnswer(offer, plans, [30000, 0], IPAddress.Loopback, new SdpOrigin("srs", 5, 1, "IN", "IP4", "127.0.0.1"));

        Assert.Equal(["audio", "video"], answer.Media.Select(m => m.Media));
        Assert.Equal(30000, answer.Media[0].Port);
        Assert.Equal(["8", "0"], answer.Media[0].Formats);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[0].Direction);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal(["1", "2"], answer.Media.Select(m => m.Label));
        Assert.Equal("127.0.0.1", answer.Connection!.Address);
    }

    [Fact]
    public void BuildAnswer_AnswersAnInactiveOfferInactive()
    {
        var offer = Offer(Audio(4000, "1", "inactive"));
        var plans = SdpAnswerBuilder.Plan(offer);

        var answer = SdpAnswerBuilder.BuildAnswer(offer, plans, [30000], IPAddress.Loopback, new SdpOrigin("srs", 5, 1, "IN", "IP4", "127.0.0.1"));

        Assert.Equal(SdpDirection.Inactive, answer.Media[0].Direction);
        Assert.True(SdpAnswerBuilder.IsPause(offer, plans));
    }

    [Fact]
    public void IsPause_IsTrueOnlyWhenEveryRecordedLineIsInactiveOrPortZero()
    {
        var initial = Offer(Audio(4000, "1"), Audio(4002, "2"));
        var plans = SdpAnswerBuilder.Plan(initial);

        Assert.False(SdpAnswerBuilder.IsPause(initial, plans));
        Assert.False(SdpAnswerBuilder.IsPause(Offer(Audio(4000, "1", "inactive"), Audio(4002, "2")), plans));
        Assert.True(SdpAnswerBuilder.IsPause(Offer(Audio(4000, "1", "inactive"), Audio(0, "2")), plans));
        Assert.True(SdpAnswerBuilder.IsPause(Offer(Audio(0, "1"), Audio(0, "2")), plans));
    }

    [Fact]
    public void IsPause_HonoursASessionLevelInactiveAttribute()
    {
        var offer = new SdpSession(new SdpOrigin("src", 1, 2, "IN", "IP4", "127.0.0.1"), "-", null, [new("inactive", null)],
            [new SdpMediaDescription("audio", 4000, "RTP/AVP", ["0"], null, [new("label", "1")])]);

        Assert.True(SdpAnswerBuilder.IsPause(offer, SdpAnswerBuilder.Plan(offer)));
    }

    [Fact]
    public void OrderByLabel_SortsNumericLabelsNumericallyAndOthersAsStrings()
    {
        var numeric = new List<StreamPlan> { new(0, "10", [0], null), new(1, "9", [0], null), new(2, "100", [0], null) };
        var text = new List<StreamPlan> { new(0, "b_leg", [0], null), new(1, "a_leg", [0], null) };

        Assert.Equal(["9", "10", "100"], SdpAnswerBuilder.OrderByLabel(numeric).Select(p => p.Label));
        Assert.Equal(["a_leg", "b_leg"], SdpAnswerBuilder.OrderByLabel(text).Select(p => p.Label));
    }
}
