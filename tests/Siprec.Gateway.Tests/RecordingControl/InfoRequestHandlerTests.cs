using Siprec.Control;
using Siprec.Gateway.Tests.Support;
using Siprec.Recording;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>Every row of DESIGN §4.2, through the real SRC against fake SRSs on 127.0.0.1.</summary>
public sealed class InfoRequestHandlerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_IsAnswered200WithoutWarning_WhenTheSrsAccepts()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.StartRecordingAsync(srs.Uri);

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.GetHeader("Warning"));
        Assert.Equal(RecordingState.Recording, harness.Controller.State);
        Assert.Equal(1, srs.Invites);
    }

    [Fact]
    public async Task Start_IsAnswered200WithAWarningNamingTheFailedSrs_WhenOneOfTwoSrssRejects()
    {
        // The accepting SRS takes its time, so the 486 is known when the start returns on the 2xx.
        await using var good = FakeSrs.Start(FakeSrsBehavior.AcceptLate, TimeSpan.FromMilliseconds(400), user: "good");
        await using var busy = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "busy");
        await using var harness = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(5));

        var response = await harness.StartRecordingAsync(busy.Uri, good.Uri);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning($"SipRec call recording started; failed: {busy.Uri}: 486 Busy Here"), response.GetHeader("Warning"));
        Assert.Equal(RecordingState.Recording, harness.Controller.State);
    }

    [Fact]
    public async Task Start_WithoutXSrsUrl_IsAnswered400WithTheExactText()
    {
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.SendAsync(harness.Info([("X-Reason", "startCallRecording")]));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("startCallRecording request is missing X-Srs-Url header"), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task Start_WhileRecording_IsAnswered400AsADuplicate()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        Assert.Equal(200, (await harness.StartRecordingAsync(srs.Uri)).StatusCode);

        var response = await harness.StartRecordingAsync(srs.Uri);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding duplicate startCallRecording request for a call"), response.GetHeader("Warning"));
        Assert.Equal(1, srs.Invites);
    }

    [Fact]
    public async Task Start_WhileAnEarlierStartIsStillWaiting_IsAnswered400AsADuplicateAtOnce()
    {
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var harness = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(3));

        var first = harness.StartRecordingAsync(silent.Uri);
        await silent.InviteSeen.Task.WaitAsync(Bound);
        var second = await harness.StartRecordingAsync(silent.Uri);

        Assert.False(first.IsCompleted);
        Assert.Equal(400, second.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding duplicate startCallRecording request for a call"), second.GetHeader("Warning"));
        Assert.Equal(400, (await first).StatusCode);
    }

    [Theory]
    [InlineData("wss://srs.example.com")]
    [InlineData("http://srs.example.com")]
    [InlineData("192.0.2.7")]
    public async Task Start_WithANonSipUri_IsAnswered503NamingTheEntry(string entry)
    {
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.StartRecordingAsync(entry);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("X-Srs-Url accepts only sip: or sips: URIs: " + entry), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task Start_WithMoreSrssThanAllowed_IsAnswered400WithTheCountAndTheLimit()
    {
        await using var harness = await RecordingHarness.StartAsync(maxRecorders: 4);

        var response = await harness.StartRecordingAsync(Enumerable.Range(1, 5).Select(i => $"sip:srs{i}@127.0.0.1:{5090 + i}").ToArray());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("too many recorders: 5 (at most 4)"), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task Start_WhenEverySrsFails_IsAnswered503ListingEachSrsAndItsOutcome()
    {
        await using var busy1 = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "one");
        await using var busy2 = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "two");
        await using var harness = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(5));

        var response = await harness.StartRecordingAsync(busy1.Uri, busy2.Uri);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(
            RecordingHarness.Warning($"Error starting SipRec call recording: {busy1.Uri}: 486 Busy Here; {busy2.Uri}: 486 Busy Here"),
            response.GetHeader("Warning"));
        Assert.NotEqual(RecordingState.Recording, harness.Controller.State);
    }

    [Fact]
    public async Task Start_WhenNoSrsAnswersInTime_IsAnswered400NoResponse()
    {
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var harness = await RecordingHarness.StartAsync(TimeSpan.FromMilliseconds(500));

        var response = await harness.StartRecordingAsync(silent.Uri);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("No response from SipRec server, return error to feature server"), response.GetHeader("Warning"));
        // On a loaded machine the SRS's receive loop may see the INVITE only after the SRC's 500 ms timeout answered.
        await silent.InviteSeen.Task.WaitAsync(TimeSpan.FromSeconds(20)); // 5 s was too short once under the full suite's load
        Assert.Equal(1, silent.Invites);
    }

    [Fact]
    public async Task Start_AfterAFailedStart_IsANewStartAndNotADuplicate()
    {
        await using var busy = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "busy");
        await using var good = FakeSrs.Start(FakeSrsBehavior.Accept, user: "good");
        await using var harness = await RecordingHarness.StartAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(503, (await harness.StartRecordingAsync(busy.Uri)).StatusCode);

        var retry = await harness.StartRecordingAsync(good.Uri);

        Assert.Equal(200, retry.StatusCode);
        Assert.Equal(RecordingState.Recording, harness.Controller.State);
    }

    [Fact]
    public async Task Stop_WhileNotRecording_IsAnswered400()
    {
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.SendReasonAsync("stopCallRecording");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding stopCallRecording request because we are not recording"), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task Pause_WhenNotRecording_IsAnswered400()
    {
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.SendReasonAsync("pauseCallRecording");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding invalid pauseCallRecording request"), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task Pause_WhenAlreadyPaused_IsAnswered400()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        Assert.Equal(200, (await harness.StartRecordingAsync(srs.Uri)).StatusCode);
        Assert.Equal(200, (await harness.SendReasonAsync("pauseCallRecording")).StatusCode);

        var response = await harness.SendReasonAsync("pauseCallRecording");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding invalid pauseCallRecording request"), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task Resume_WhenNotPaused_IsAnswered400()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        Assert.Equal(200, (await harness.StartRecordingAsync(srs.Uri)).StatusCode);

        var response = await harness.SendReasonAsync("resumeCallRecording");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("discarding invalid resumeCallRecording request"), response.GetHeader("Warning"));
    }

    [Fact]
    public async Task StartPauseResumeStop_AreEachAnswered200_AndReachTheSrs()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();

        Assert.Equal(200, (await harness.StartRecordingAsync(srs.Uri)).StatusCode);
        Assert.Equal(200, (await harness.SendReasonAsync("pauseCallRecording")).StatusCode);
        Assert.Equal(RecordingState.Paused, harness.Controller.State);
        Assert.Equal(200, (await harness.SendReasonAsync("resumeCallRecording")).StatusCode);
        Assert.Equal(RecordingState.Recording, harness.Controller.State);
        Assert.Equal(200, (await harness.SendReasonAsync("stopCallRecording")).StatusCode);
        Assert.Equal(RecordingState.Stopped, harness.Controller.State);

        await srs.ByeSeen.Task.WaitAsync(Bound);
        Assert.Equal(2, srs.ReInvites.Count);
        Assert.Contains("a=inactive", System.Text.Encoding.UTF8.GetString(srs.ReInvites[0].Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithABodyThatIsNotJson_IsAnswered400BeforeAnySrsIsContacted()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.SendAsync(harness.Info([("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)], "{not json"));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(RecordingHarness.Warning("invalid JSON body in recording request"), response.GetHeader("Warning"));
        Assert.Equal(0, srs.Invites);
    }

    [Fact]
    public async Task Info_WithoutXReason_IsAnswered200AndTouchesNoRecording()
    {
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.SendAsync(harness.Info([("X-Something", "else")]));

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.GetHeader("Warning"));
        Assert.Empty(harness.Handler.Exchanges);
    }

    [Fact]
    public async Task EveryAnsweredRecordingRequest_IsKeptAsAnExchange_WithItsCodeAndText()
    {
        await using var harness = await RecordingHarness.StartAsync();

        await harness.SendReasonAsync("stopCallRecording");

        var exchange = Assert.Single(harness.Handler.Exchanges);
        Assert.Equal(new InfoExchange("stopCallRecording", 400, RecordingErrorTexts.StopWhileNotRecording), exchange);
    }
}
