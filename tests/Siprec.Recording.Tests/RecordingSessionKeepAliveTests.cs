using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionKeepAliveTests
{
    [Fact]
    public async Task Start_After422_RetriesWithTheSrssMinSe_OnTheSameCallId()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.RejectWithMinSe = 3600;
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        var first = await srs.WaitForAsync(SipMethods.Invite);
        var retry = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Equal("1800;refresher=uac", first.GetHeader("Session-Expires"));
        Assert.Equal("3600;refresher=uac", retry.GetHeader("Session-Expires"));
        Assert.Equal("3600", retry.GetHeader("Min-SE"));
        Assert.Equal(first.CallId, retry.CallId);
        Assert.Equal(first.From!.Tag, retry.From!.Tag);
        Assert.Equal(first.CSeq!.Value.Sequence + 1, retry.CSeq!.Value.Sequence);
        InviteShape.ReadValidMetadata(retry);
    }

    [Fact]
    public async Task SessionTimer_WithTheSrsAsRefresher_EndsTheRecorderWithBye_WhenNoRefreshComes()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.SessionExpiresAnswer = "90;refresher=uas";
        await using var src = await SrcHarness.StartAsync(time: clock);
        Assert.True((await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))).Started);
        await srs.WaitForAckAsync();

        // A refresh from the SRS at 50 s re-arms the watch (90 - 30 = 60 s after it). The fake clock fires a timer inside
        // Advance, and an expiry ends the recorder (state, events) before its BYE goes out, so right after Advance the
        // recording and the armed watch show whether the old watch fired.
        var startedAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True((await srs.SendInDialogAsync(SipMethods.Update)).IsSuccess);
        await Poll.UntilAsync(() => clock.PendingDueTimes.Contains(startedAt + TimeSpan.FromSeconds(110)), TimeSpan.FromSeconds(5),
            "the session-expiry watch re-armed by the SRS's refresh");
        clock.Advance(TimeSpan.FromSeconds(55));
        Assert.Equal(RecordingState.Recording, src.Session.State);
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
        Assert.Contains(startedAt + TimeSpan.FromSeconds(110), clock.PendingDueTimes);
        Assert.DoesNotContain(srs.Requests, r => r.Method == SipMethods.Bye);

        clock.Advance(TimeSpan.FromSeconds(6));
        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Contains("RFC 4028", failed.Reason);
        await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri is null);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }

    [Fact]
    public async Task SessionTimer_WithZero_OffersNoSessionExpires()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();

        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), new RecordingStartOptions { SessionExpires = TimeSpan.Zero }, CancellationToken.None);

        var invite = await srs.WaitForAsync(SipMethods.Invite);
        Assert.Null(invite.GetHeader("Session-Expires"));
        Assert.Null(invite.GetHeader("Min-SE"));
        Assert.Equal("timer", invite.GetHeader("Supported"));
    }
}
