using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;
using Siprec.Gateway.Twiml;
using Siprec.Recording.Connectors;
using Siprec.Testing;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.Twiml;

/// <summary>
/// Documents run against a fake call and a real <see cref="RecordingController"/> (the real SRC against a fake SRS on
/// 127.0.0.1): the samples' Siprec sessions start, stop by name and hold a TeXML document until stopped.
/// </summary>
public sealed class TwimlInterpreterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    internal static SrsConnectorOptions Connectors(string uri) => new() { Connectors = { ["local-srs"] = new SrsConnector { Uris = [uri] } } };

    internal static TwimlApplicationRunner Runner(SrsConnectorOptions connectors, ListLoggerFactory? logs = null, TwimlOptions? options = null,
        IEnumerable<GatewayAccount>? accounts = null) =>
        new(options ?? new TwimlOptions { StoppedPollInterval = TimeSpan.FromMilliseconds(20) }, connectors, 4, TimeProvider.System,
            ((ILoggerFactory)(logs ?? new ListLoggerFactory())).CreateLogger<TwimlApplicationRunner>(), accounts: accounts);

    private static VoiceApplication Sample(string file, TwimlDialect dialect = TwimlDialect.Twilio) =>
        VoiceApplication.ForFile(Path.Combine(RepoPaths.Samples, "twiml", file), dialect);

    [Fact]
    public async Task TwilioRecordSample_StartsTheSession_PlaysOn_StopsItByName_AndHangsUp()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        using var runner = Runner(Connectors(srs.Uri));

        var started = await runner.RunAsync(call, Sample("record.xml"), CancellationToken.None).WaitAsync(Bound);

        var session = harness.Controller.Resources.Find("call-recording");
        Assert.NotNull(session);
        Assert.Equal([session.Sid], started);
        Assert.Equal(RestRecordingStatus.Stopped, session.Status);
        Assert.Null(session.ErrorCode);
        var invite = await srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.Equal("twiml-sample", invite.GetHeader("X-Campaign")); // a <Parameter> travels as a SIP header, as on REST
        await srs.ByeSeen.Task.WaitAsync(Bound);
        Assert.Equal(3, call.Played.Count);
        Assert.Equal(1, call.HangUps);
    }

    [Fact]
    public async Task TexmlStart_HoldsTheNextInstruction_UntilTheSessionIsStoppedElsewhere()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        using var runner = Runner(Connectors(srs.Uri));

        var running = runner.RunAsync(call, Sample("texml-record.xml", TwimlDialect.Telnyx), CancellationToken.None);
        await Poll.UntilAsync(() => harness.Controller.Resources.Find("texml-recording") is { Status: RestRecordingStatus.InProgress }, Bound, "the TeXML session in progress");
        await Task.Delay(300);
        Assert.Empty(call.Played);
        Assert.False(running.IsCompleted);

        // What REST's POST …/Siprec/texml-recording.json Status=stopped does.
        var stop = new RecordingControlRequest { Action = RecordingAction.Stop, CallSid = "CA0123", AccountSid = "AC0001" };
        Assert.Equal(200, (await harness.Controller.ExecuteAsync(stop, RecordingRequestOptions.For("texml-recording"), CancellationToken.None)).StatusCode);

        await running.WaitAsync(Bound);
        Assert.Single(call.Played);
        Assert.Equal(1, call.HangUps);
    }

    [Fact]
    public async Task TwilioStart_GoesOnAtOnce_AndTheCallsEndCancelsTheDocument()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        using var runner = Runner(Connectors(srs.Uri));
        using var callEnds = new CancellationTokenSource();

        // start-siprec.xml: the session starts, then a 5 s pause runs while it records.
        var running = runner.RunAsync(call, Sample("start-siprec.xml"), callEnds.Token);
        await Poll.UntilAsync(() => harness.Controller.Resources.Find("agent-leg") is { Status: RestRecordingStatus.InProgress }, Bound, "agent-leg in progress");
        Assert.Equal(RecordingTrack.InboundTrack, harness.Controller.Resources.Find("agent-leg")!.Track);
        await callEnds.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Bound));
    }

    [Fact]
    public async Task ARefusedStart_IsLoggedWithItsLine_AndTheDocumentGoesOn()
    {
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        var logs = new ListLoggerFactory();
        using var runner = Runner(new SrsConnectorOptions(), logs);

        await runner.RunAsync(call, Sample("record.xml"), CancellationToken.None).WaitAsync(Bound);

        var refused = Assert.Single(logs.Lines, l => l.EventId == 1504);
        Assert.Contains("on line 7 refused 400", refused.Message);
        Assert.Contains("ConnectorName 'local-srs'", refused.Message);
        Assert.Contains(logs.Lines, l => l.EventId == 1506); // the stop by name finds no session: 404, logged
        Assert.Equal(3, call.Played.Count);
    }

    [Fact]
    public async Task ASiprecWithoutConnectorName_UsesTheAccountsDefaultConnector_AsARestCreateDoes()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller, accountSid: "AC0001");
        var accounts = new[] { new GatewayAccount("AC0001", "0123456789abcdef", []) { DefaultConnector = "local-srs" } };
        using var runner = Runner(Connectors(srs.Uri), accounts: accounts);
        var document = Path.Combine(Path.GetTempPath(), $"twiml-default-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(document, "<Response><Start><Siprec name=\"by-default\"/></Start><Pause length=\"1\"/></Response>");
        try
        {
            await runner.RunAsync(call, VoiceApplication.ForFile(document, TwimlDialect.Twilio), CancellationToken.None).WaitAsync(Bound);
        }
        finally
        {
            File.Delete(document);
        }

        Assert.NotNull(harness.Controller.Resources.Find("by-default"));
        var invite = await srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.Equal("INVITE", invite.Method);
    }

    [Fact]
    public async Task RedirectSample_RunsTheNextDocument_RelativeToTheFirst()
    {
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        using var runner = Runner(new SrsConnectorOptions());

        await runner.RunAsync(call, Sample("redirect.xml"), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(2, call.Played.Count); // play.xml loops twice; redirect.xml's own <Hangup> is skipped
        Assert.Equal(1, call.HangUps);
    }

    [Fact]
    public async Task APlayThatCannotBeRead_IsLoggedWithItsLine_AndTheNextVerbRuns()
    {
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        var logs = new ListLoggerFactory();
        using var runner = Runner(new SrsConnectorOptions(), logs);
        var folder = Directory.CreateTempSubdirectory("twiml-").FullName;
        var path = Path.Combine(folder, "doc.xml");
        File.WriteAllText(path, $"<Response>\n<Play>missing.wav</Play>\n<Play>{Path.Combine(RepoPaths.Samples, "audio", "prompt-goodbye.wav")}</Play>\n</Response>");

        await runner.RunAsync(call, VoiceApplication.ForFile(path, TwimlDialect.Twilio), CancellationToken.None).WaitAsync(Bound);

        var failed = Assert.Single(logs.Lines, l => l.EventId == 1502);
        Assert.Contains("<Play> on line 2", failed.Message);
        Assert.Contains("missing.wav", failed.Message);
        Assert.Single(call.Played);
    }

    [SkippableFact]
    public async Task SaySample_IsSpokenByEspeakNg_At8kHz()
    {
        using var runner = Runner(new SrsConnectorOptions());
        Skip.IfNot(runner.SpeechAvailable || Environment.GetEnvironmentVariable("CI") == "true", "espeak-ng is not installed");
        Assert.True(runner.SpeechAvailable, "espeak-ng is required under CI=true");
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);

        await runner.RunAsync(call, Sample("say.xml"), CancellationToken.None).WaitAsync(Bound);

        // About 3 s of speech for the sample's two sentences: between 1 and 10 s of 8 kHz samples.
        var samples = Assert.Single(call.Played);
        Assert.InRange(samples, 8000, 80_000);
    }

    [Theory]
    [InlineData("file:///srv/app/doc.xml", "next.xml", "file:///srv/app/next.xml")]
    [InlineData("file:///srv/app/doc.xml", "http://host/a.wav", "http://host/a.wav")]
    [InlineData("http://host/app/doc.xml", "a.wav", "http://host/app/a.wav")]
    [InlineData("http://host/app/doc.xml", "/b.xml", "http://host/b.xml")]
    public void Resolve_ReadsReferencesRelativeToTheDocument(string document, string reference, string expected)
    {
        var doc = new TwimlDocument(new Uri(document), TwimlDialect.Twilio, []);

        Assert.True(TwimlInterpreter.Resolve(doc, reference, out var resolved, out var error), error);
        Assert.Equal(new Uri(expected), resolved);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://host/a.wav")]
    public void Resolve_RefusesAFetchedDocumentReachingTheGatewaysFiles_OrAnotherScheme(string reference)
    {
        var doc = new TwimlDocument(new Uri("http://host/app/doc.xml"), TwimlDialect.Twilio, []);

        Assert.False(TwimlInterpreter.Resolve(doc, reference, out _, out var error));
        Assert.Contains(reference, error);
    }
}
