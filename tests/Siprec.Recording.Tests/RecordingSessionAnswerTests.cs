using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionAnswerTests
{
    [Fact]
    public async Task Start_AcceptsAMultipart200Ok_AndSendsMediaToItsSdp()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.MultipartAnswer = true;
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0 && srs.BotMedia.PacketsReceived > 0);
    }

    [Fact]
    public async Task Start_MatchesAnAnswerWithoutLabels_ByMLinePosition()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.OmitLabels = true;
        await using var src = await SrcHarness.StartAsync();

        Assert.True((await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None)).Started);

        // Caller audio only lands on the first m-line's port, bot audio only on the second's.
        await Poll.UntilAsync(() => srs.BotMedia.PacketsReceived != 0, TimeSpan.FromSeconds(5), "bot RTP on the second m-line",
            () => src.Session.OnBotRtp(src.NextRtp()));

        Assert.Equal(0, srs.CallerMedia.PacketsReceived);
        await Poll.UntilAsync(() => srs.CallerMedia.PacketsReceived != 0, TimeSpan.FromSeconds(5), "caller RTP on the first m-line",
            () => src.Session.OnCallerRtp(src.NextRtp()));
    }

    [Fact]
    public async Task Start_WithOneStreamDeclined_RecordsTheOther_AndSendsNothingToTheDeclinedOne()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.DeclinedStreams.Add(1);
        await using var src = await SrcHarness.StartAsync();

        Assert.True((await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None)).Started);

        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 5);
        Assert.Equal(0, srs.BotMedia.PacketsReceived);
    }

    [Fact]
    public async Task Start_WithEveryStreamDeclined_IsARejection_AndTheDialogIsEndedWithBye()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.DeclinedStreams.UnionWith([0, 1]);
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        Assert.False(result.Started);
        Assert.Equal(SrsOutcomeKind.Rejected, result.Outcomes.Single().Kind);
        Assert.Contains("declining every stream", result.Outcomes[0].Detail);
        await srs.WaitForAckAsync();
        await srs.WaitForAsync(SipMethods.Bye);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }

    [Theory]
    [InlineData("recvonly")]
    [InlineData("sendrecv")]
    [InlineData("inactive")]
    public async Task Pause_IsAcceptedWhateverDirectionTheSrsAnswers_AndNoMediaFlowsUntilResume(string direction)
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0);
        srs.ReinviteAnswerDirection = direction;

        var paused = await src.Session.PauseAsync(CancellationToken.None);

        Assert.True(paused.Succeeded);
        Assert.Equal(SrsOutcomeKind.Accepted, paused.Outcomes.Single().Kind);
        var before = await srs.DrainWithProbeAsync(0);
        for (var i = 0; i < 20; i++)
            src.Session.OnCallerRtp(src.NextRtp());
        Assert.Equal(before, await srs.DrainWithProbeAsync(0));

        srs.ReinviteAnswerDirection = null;
        Assert.True((await src.Session.ResumeAsync(CancellationToken.None)).Succeeded);
        await src.PumpUntilAsync(() => srs.MediaPackets(0) > before);
    }
}
