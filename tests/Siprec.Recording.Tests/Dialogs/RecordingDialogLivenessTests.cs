using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

/// <summary>In-dialog OPTIONS keep-alives (RFC 3261 §11) to every established recorder, on a fake clock, against fake SRSs on loopback.</summary>
public sealed class RecordingDialogLivenessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingTimeout = new SrcOptions().PingTimeout;

    private const int PingAnsweredEvent = 7040;

    private static async Task<SrcHarness> RecordAsync(ManualTimeProvider clock, ListLoggerFactory logs, params FakeSrs[] srss)
    {
        var src = await SrcHarness.StartAsync(time: clock, loggerFactory: logs, pingInterval: Interval);
        var started = await src.Session.StartAsync(SrcHarness.StartRequest(srss.Select(s => s.Uri).ToArray()), CancellationToken.None).WaitAsync(Bound);
        Assert.True(started.Started, string.Join("; ", started.Outcomes));
        // The SRC admits a recorder, which arms its ping timer, before it sends the ACK.
        foreach (var srs in srss)
            await srs.WaitForAckAsync();
        return src;
    }

    private static int Count(FakeSrs srs, string method) => srs.Requests.Count(r => r.Method == method);

    private static Task PingsJudgedAliveAsync(ListLoggerFactory logs, int count) =>
        Poll.UntilAsync(() => logs.Lines.Count(l => l.EventId == PingAnsweredEvent) >= count, Bound, $"{count} pings answered");

    [Fact]
    public async Task Ping_IsSentAtTheInterval_NotBefore_InsideTheRecordingDialog()
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await RecordAsync(clock, logs, srs);

        clock.Advance(Interval - TimeSpan.FromMilliseconds(100));
        // A marker sent after the clock moved: UDP on loopback keeps order, so an OPTIONS sent before it arrives first.
        await src.Session.PauseAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(0, Count(srs, SipMethods.Options));

        clock.Advance(TimeSpan.FromMilliseconds(100));
        var ping = await srs.WaitForAsync(SipMethods.Options);

        var invite = srs.Requests.First();
        Assert.Equal(invite.CallId, ping.CallId);
        Assert.Equal(invite.From!.Tag, ping.From!.Tag);
        Assert.NotNull(ping.To!.Tag);
        Assert.True(ping.CSeq!.Value.Sequence > srs.ReInvites.Single().CSeq!.Value.Sequence);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(405)]
    [InlineData(501)]
    public async Task Ping_AnsweredWithAnyFinalButTimeoutCodes_KeepsTheRecorder_AndPingsAgainOneIntervalLater(int code)
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerOptions(code);
        await using var src = await RecordAsync(clock, logs, srs);

        for (var n = 1; n <= 3; n++)
        {
            clock.Advance(Interval);
            await srs.WaitForAsync(SipMethods.Options, n);
            await PingsJudgedAliveAsync(logs, n);
        }

        Assert.Equal(3, Count(srs, SipMethods.Options));
        Assert.Equal(0, Count(srs, SipMethods.Bye));
        Assert.Equal(RecordingState.Recording, src.Session.State);
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed);
        await src.PumpUntilAsync(() => srs.RtpPackets.Caller > 0);
    }

    [Fact]
    public async Task Ping_WithNoAnswer_EndsTheRecorderWithBye_WithinIntervalPlusTimeout_AndReportsItFailed()
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerOptions(null);
        await using var src = await RecordAsync(clock, logs, srs);
        var established = clock.GetUtcNow();

        clock.Advance(Interval);
        await srs.WaitForAsync(SipMethods.Options);
        Assert.Equal(RecordingState.Recording, src.Session.State);
        clock.Advance(PingTimeout);
        await srs.WaitForAsync(SipMethods.Bye);

        Assert.True(clock.GetUtcNow() - established <= Interval + PingTimeout);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Equal(RecorderFailureCause.PingFailed, failed.Failure!.Cause);
        Assert.Null(failed.Failure.StatusCode);
        Assert.Equal(503, failed.Failure.ErrorCode);
        Assert.Contains("no answer to OPTIONS within 4 s", failed.Reason);
        var recording = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri is null);
        Assert.Equal(failed.Failure, recording.Failure);
        Assert.Equal(RecordingState.Failed, src.Session.State);
        Assert.Contains(logs.Lines, l => l.Message.Contains("Keep-alive OPTIONS to " + srs.Uri) && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Ping_Answered408_EndsTheRecorderWithBye()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerOptions(408);
        await using var src = await RecordAsync(clock, new ListLoggerFactory(), srs);

        clock.Advance(Interval);

        await srs.WaitForAsync(SipMethods.Bye);
        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Equal((RecorderFailureCause.PingFailed, 408, 408), (failed.Failure!.Cause, failed.Failure.StatusCode, failed.Failure.ErrorCode));
        Assert.Contains("SRS answered 408 Request Timeout to OPTIONS", failed.Reason);
    }

    [Fact]
    public async Task Ping_Answered481_EndsTheRecorderWithoutBye()
    {
        var clock = new ManualTimeProvider();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AnswerOptions(481);
        await using var src = await RecordAsync(clock, new ListLoggerFactory(), srs);

        clock.Advance(Interval);

        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == srs.Uri);
        Assert.Equal(481, failed.Failure!.ErrorCode);
        Assert.Contains("without BYE", failed.Reason);
        Assert.Equal(RecordingState.Failed, src.Session.State);
        await src.Session.StopAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(0, Count(srs, SipMethods.Bye));
    }

    [Fact]
    public async Task Ping_ToAKilledSrsOverTcp_EndsTheRecorder_WithinIntervalPlusTimeout()
    {
        var clock = new ManualTimeProvider();
        var srs = FakeSrs.Start(FakeSrsBehavior.Accept, tcp: true);
        await using var src = await RecordAsync(clock, new ListLoggerFactory(), srs);
        var established = clock.GetUtcNow();
        var uri = srs.Uri;
        await srs.DisposeAsync(); // its listener and connection close: what the SRC sees of a kill -9

        clock.Advance(Interval);
        // Refused connection (transport error) or silence (timeout): either is found before interval + timeout.
        await Poll.UntilAsync(() => src.EventsSnapshot().Any(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == uri), Bound,
            "the killed recorder reported failed", () =>
            {
                if (clock.GetUtcNow() - established < Interval + PingTimeout)
                    clock.Advance(TimeSpan.FromMilliseconds(100));
            });

        var failed = src.EventsSnapshot().First(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == uri);
        Assert.Equal(RecorderFailureCause.PingFailed, failed.Failure!.Cause);
        Assert.Equal(503, failed.Failure.ErrorCode);
        Assert.Equal(RecordingState.Failed, src.Session.State);
    }

    [Fact]
    public async Task TwoRecorders_OneDies_TheOtherKeepsRecording_AndOnlyTheDeadOneIsReported()
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var alive = FakeSrs.Start(FakeSrsBehavior.Accept, user: "alive");
        await using var dead = FakeSrs.Start(FakeSrsBehavior.Accept, user: "dead");
        dead.AnswerOptions(null);
        await using var src = await RecordAsync(clock, logs, alive, dead);

        clock.Advance(Interval);
        await dead.WaitForAsync(SipMethods.Options);
        await PingsJudgedAliveAsync(logs, 1); // the live one's answer is in before the clock reaches the timeout
        clock.Advance(PingTimeout);
        await dead.WaitForAsync(SipMethods.Bye);

        var failed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == dead.Uri);
        Assert.Equal(RecorderFailureCause.PingFailed, failed.Failure!.Cause);
        Assert.DoesNotContain(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed && e.SrsUri != dead.Uri);
        Assert.Equal(RecordingState.Recording, src.Session.State);
        var before = alive.RtpPackets.Caller;
        await src.PumpUntilAsync(() => alive.RtpPackets.Caller > before);
        Assert.Equal(0, Count(alive, SipMethods.Bye));
    }

    [Fact]
    public async Task Pings_StopWhenTheRecordingIsStopped()
    {
        var clock = new ManualTimeProvider();
        var logs = new ListLoggerFactory();
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await RecordAsync(clock, logs, srs);
        clock.Advance(Interval);
        await srs.WaitForAsync(SipMethods.Options);
        await PingsJudgedAliveAsync(logs, 1);

        await src.Session.StopAsync(CancellationToken.None).WaitAsync(Bound);
        await srs.WaitForAsync(SipMethods.Bye);
        clock.Advance(Interval * 3);
        // A marker: a new recording's INVITE, sent after the clock moved, arrives after any OPTIONS of the old dialog.
        var again = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None).WaitAsync(Bound);

        Assert.True(again.Started);
        Assert.Equal(1, Count(srs, SipMethods.Options));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("Keep-alive OPTIONS") && l.Message.Contains("failed"));
    }
}
