using Siprec.Control;
using Siprec.Recording.Connectors;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

/// <summary>Error paths of a recording dialog that no other test reaches: an unusable 2xx, a proxy challenge in the dialog, a BYE nobody answers.</summary>
public sealed class RecordingDialogErrorPathTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30); // a hang guard, not a timing: CI shares 2 cores

    [Fact]
    public async Task Start_AnsweredWithA2xxWithoutSdp_IsAckedThenByed_AndReportedRejected()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInitialWithoutSdp = true;
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None).WaitAsync(Bound);

        Assert.False(result.Started);
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(SrsOutcomeKind.Rejected, outcome.Kind);
        Assert.Equal(200, outcome.StatusCode);
        Assert.StartsWith("200 without a usable SDP answer", outcome.Detail);
        // RFC 3261 §13.2.2.4: a 2xx is ACKed even when its answer is refused; the dialog it made is then ended with BYE.
        var ack = await srs.WaitForAckAsync();
        var bye = await srs.WaitForAsync(SipMethods.Bye);
        var invite = await srs.WaitForAsync(SipMethods.Invite);
        Assert.Equal(invite.CallId, ack.CallId);
        Assert.Equal(invite.CallId, bye.CallId);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }

    [Fact]
    public async Task Pause_Challenged407_IsResentOnceWithProxyAuthorizationFromTheConnectorsCredentials()
    {
        var account = (User: "rec-user", Password: "s3cret", Realm: "proxy.example.test");
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerInDialog(1, 407,
            ("Proxy-Authenticate", $"Digest realm=\"{account.Realm}\", nonce=\"{FakeSrs.Nonce}\", qop=\"auth\", algorithm=MD5"));
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = [srs.Uri], UserName = account.User, Password = account.Password };
        var started = await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None).WaitAsync(Bound);
        Assert.True(started.Started, string.Join("; ", started.Outcomes));
        await srs.WaitForAckAsync();

        var paused = await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.True(paused.Succeeded, string.Join("; ", paused.Outcomes));
        Assert.Equal(RecordingState.Paused, src.Session.State);
        var (challenged, retried) = (srs.ReInvites[0], srs.ReInvites[1]);
        Assert.Equal(2, srs.ReInvites.Count);
        Assert.Null(challenged.GetHeader("Proxy-Authorization"));
        Assert.True(DigestCheck.IsValid(retried, account, FakeSrs.Nonce, "Proxy-Authorization"), retried.GetHeader("Proxy-Authorization"));
        Assert.Null(retried.GetHeader("Authorization"));
        Assert.Equal(challenged.CallId, retried.CallId);
        Assert.Equal(challenged.CSeq!.Value.Sequence + 1, retried.CSeq!.Value.Sequence);
        Assert.All(SiprecBody.ReadSdp(retried)!.Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
    }

    [Fact]
    public async Task Stop_WhenTheSrsNeverAnswersTheBye_EndsAtTheNoAnswerTimeout_AndReportsTimeout()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerBye(false);
        await using var src = await SrcHarness.StartAsync(time: clock); // no-answer timeout 2 s
        var started = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None).WaitAsync(Bound);
        Assert.True(started.Started, string.Join("; ", started.Outcomes));
        await srs.WaitForAckAsync();
        var armedBefore = clock.PendingDueTimes;
        var startedAt = clock.GetUtcNow();

        var stop = src.Session.StopAsync(CancellationToken.None);
        await srs.WaitForAsync(SipMethods.Bye);

        // The stop waits for the BYE's answer on the clock, at most the no-answer timeout; it cannot end before that.
        await Poll.UntilAsync(() => clock.PendingDueTimes.Except(armedBefore).Contains(startedAt + TimeSpan.FromSeconds(2)), Bound,
            "the stop's 2 s wait for the BYE's answer on the fake clock");
        Assert.False(stop.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        var stopped = await stop.WaitAsync(Bound);

        var outcome = Assert.Single(stopped.Outcomes);
        Assert.Equal(SrsOutcomeKind.Timeout, outcome.Kind);
        Assert.Equal("no answer to BYE in time", outcome.Detail);
        Assert.True(stopped.Succeeded); // the recording did stop; the outcome says the recorder never confirmed it
        Assert.Equal(RecordingState.Stopped, src.Session.State);
    }
}
