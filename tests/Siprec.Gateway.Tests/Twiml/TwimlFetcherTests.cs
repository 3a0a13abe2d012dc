using Siprec.Gateway.Tests.Support;
using Siprec.Gateway.Twiml;
using Siprec.Recording.Connectors;
using Siprec.Testing;
using Siprec.Testing.Http;

namespace Siprec.Gateway.Tests.Twiml;

/// <summary>Voice URLs fetched from a loopback HTTP server: Twilio's call parameters on every request, redirects, failures.</summary>
public sealed class TwimlFetcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string> TwilioParameters = new()
    {
        ["CallSid"] = "CA0123", ["AccountSid"] = "AC0001", ["From"] = "sip:caller@127.0.0.1", ["To"] = "sip:+15550001111@127.0.0.1",
        ["CallStatus"] = "in-progress", ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
    };

    [Fact]
    public async Task VoiceUrl_IsPostedTheCallParameters_AsAForm_AndItsAudioAndRedirectAreFetchedRelativeToIt()
    {
        using var server = new DocumentServer();
        server.Serve("app/voice", "<Response><Play>hello.wav</Play><Redirect method=\"GET\">next</Redirect><Play>never.wav</Play></Response>");
        server.Serve("app/hello.wav", File.ReadAllBytes(Path.Combine(RepoPaths.Samples, "audio", "prompt-welcome.wav")), "audio/wav");
        server.Serve("app/next", "<Response><Hangup/></Response>", "application/xml");
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        using var runner = TwimlInterpreterTests.Runner(new SrsConnectorOptions());

        await runner.RunAsync(call, new VoiceApplication(server.UrlOf("app/voice"), "POST", TwimlDialect.Twilio), CancellationToken.None).WaitAsync(Bound);

        var requests = server.Received.ToList();
        Assert.Equal(["POST /app/voice", "GET /app/hello.wav", "GET /app/next"], requests.Select(r => r.Method + " " + r.Path));
        Assert.StartsWith("application/x-www-form-urlencoded", requests[0].ContentType);
        Assert.Equal(TwilioParameters, requests[0].Fields);
        Assert.Equal(TwilioParameters, requests[2].Fields); // a GET redirect carries them in its query string
        Assert.Single(call.Played);
        Assert.Equal(1, call.HangUps);
    }

    [Theory]
    [InlineData(404, "<Response/>", "answered 404")]
    [InlineData(200, "<Response><Dial>+1555</Dial></Response>", "<Dial> on line 1: unknown or unsupported verb")]
    [InlineData(200, "not xml", "not well-formed XML")]
    public async Task AVoiceUrlThatFails_IsAnErrorLineNamingTheCallAndTheUrl_AndTheCallIsHungUp(int status, string body, string why)
    {
        using var server = new DocumentServer();
        server.Serve("voice", body, status: status);
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        var logs = new ListLoggerFactory();
        using var runner = TwimlInterpreterTests.Runner(new SrsConnectorOptions(), logs);

        await runner.RunAsync(call, new VoiceApplication(server.UrlOf("voice"), "POST", TwimlDialect.Twilio), CancellationToken.None).WaitAsync(Bound);

        var failed = Assert.Single(logs.Lines, l => l.EventId == 1501);
        Assert.StartsWith($"call CA0123: application document {server.UrlOf("voice")} failed: ", failed.Message);
        Assert.Contains(why, failed.Message);
        Assert.EndsWith("; hanging up", failed.Message);
        Assert.Empty(call.Played);
        Assert.Equal(1, call.HangUps);
    }

    [Fact]
    public async Task AVoiceUrlThatDoesNotAnswerInTime_FailsWithinTheFetchTimeout()
    {
        // A listening socket that never answers: the fetch ends at FetchTimeout, not at HttpClient's 100 s.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/voice");
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        var logs = new ListLoggerFactory();
        using var runner = TwimlInterpreterTests.Runner(new SrsConnectorOptions(), logs,
            new TwimlOptions { FetchTimeout = TimeSpan.FromMilliseconds(500) });

        await runner.RunAsync(call, new VoiceApplication(url, "POST", TwimlDialect.Twilio), CancellationToken.None).WaitAsync(Bound);

        Assert.Contains("no answer within 0.5 s", Assert.Single(logs.Lines, l => l.EventId == 1501).Message);
        Assert.Equal(1, call.HangUps);
    }

    [Fact]
    public async Task AFetchedDocument_CannotPlayTheGatewaysFiles()
    {
        using var server = new DocumentServer();
        server.Serve("voice", $"<Response><Play>{new Uri(Path.Combine(RepoPaths.Samples, "audio", "prompt-welcome.wav"))}</Play></Response>");
        await using var harness = await RecordingHarness.StartAsync();
        var call = new FakeTwimlCall(harness.Controller);
        var logs = new ListLoggerFactory();
        using var runner = TwimlInterpreterTests.Runner(new SrsConnectorOptions(), logs);

        await runner.RunAsync(call, new VoiceApplication(server.UrlOf("voice"), "GET", TwimlDialect.Twilio), CancellationToken.None).WaitAsync(Bound);

        Assert.Contains("may name http(s) URLs only", Assert.Single(logs.Lines, l => l.EventId == 1502).Message);
        Assert.Empty(call.Played);
        Assert.Equal("GET", Assert.Single(server.Received).Method);
    }
}
