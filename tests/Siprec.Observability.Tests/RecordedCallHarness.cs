using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.Demo;
using Siprec.Media.Wav;
using Siprec.Observability.Console;
using Siprec.Recorder;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Observability.Tests;

/// <summary>
/// A demo-style loop on 127.0.0.1 for the console and metrics tests: an embedded SRS with its console (HTTP port 0), a gateway
/// with its REST port running the sample <c>record-call</c> flow (start, prompt, pause, prompt, resume, wait, stop) against
/// that SRS, and a caller that talks the sample utterance. Everything is stopped on dispose; the output folder is deleted.
/// </summary>
internal sealed class RecordedCallHarness : IAsyncDisposable
{
    /// <summary>Bound on one demo call from INVITE to the SRS's final files.</summary>
    public static readonly TimeSpan CallBound = TimeSpan.FromSeconds(60);

    private const string AccountSid = "AC00000000000000000000000000000017";

    private readonly string _folder;

    private RecordedCallHarness(string folder, RecordingServer server, SrsConsole console, RecordingGateway gateway)
    {
        _folder = folder;
        Server = server;
        Console = console;
        Gateway = gateway;
    }

    public RecordingServer Server { get; }
    public SrsConsole Console { get; }
    public RecordingGateway Gateway { get; }
    public string ConsoleUrl => $"http://{Console.EndPoint}";
    public string GatewayUrl => $"http://{Gateway.HttpEndPoint}";

    /// <param name="deadRecorder">
    /// Also name an SRS over TCP where nothing listens (the connection is refused at once), so every call has one failed
    /// recorder beside the live one.
    /// </param>
    public static async Task<RecordedCallHarness> StartAsync(bool deadRecorder = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "siprec-console-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = new RecordingServer(new RecordingServerOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            OutputDirectory = folder,
        }, TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        var console = new SrsConsole(server, new SrsConsoleOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System,
            NullLogger<SrsConsole>.Instance);
        await console.StartAsync(CancellationToken.None);
        var gateway = new RecordingGateway(new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            // Ended calls stay on the gateway's console (and REST) only when they belong to an account.
            Accounts = [new GatewayAccount(AccountSid, "token-1", [])],
            DefaultAccountSid = AccountSid,
            FlowPath = Path.Combine(RepoPaths.Samples, "flows", "record-call.json"),
            PromptDirectory = Path.Combine(RepoPaths.Samples, "audio"),
            FlowContext = new JObject
            {
                ["srsList"] = deadRecorder ? new JArray($"sip:srs@{server.SipEndPoint}", $"sip:nobody@{UnusedTcpEndPoint()};transport=tcp") : new JArray($"sip:srs@{server.SipEndPoint}"),
                ["recordingId"] = "console-demo",
            },
        }, TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        return new RecordedCallHarness(folder, server, console, gateway);
    }

    /// <summary>Starts one demo call; the task completes when the caller's side of the call is over.</summary>
    public async Task<DemoCallResult> CallAsync()
    {
        await using var caller = new DemoCaller(new IPEndPoint(IPAddress.Loopback, 0), IPAddress.Loopback, TimeProvider.System, NullLoggerFactory.Instance);
        var utterance = WavFile.Read(Path.Combine(RepoPaths.Samples, "audio", "caller.wav"));
        return await caller.CallAsync(SipUri.Parse($"sip:bot@{Gateway.SipEndPoint}"), utterance, TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    /// <summary>Runs one demo call to its end and returns the SRS's summary of the recording it made.</summary>
    public async Task<RecordedSessionSummary> RecordOneCallAsync()
    {
        var before = Server.CompletedSessions.Count;
        var call = await CallAsync().WaitAsync(CallBound);
        Assert.True(call.Answered, "the gateway did not answer the demo call");
        await Poll.UntilAsync(() => Server.CompletedSessions.Count > before, CallBound, "the SRS's final WAV and sidecar");
        return Server.CompletedSessions[^1];
    }

    // A TCP port that was free a moment ago: nothing listens there, so that recorder can only fail.
    private static IPEndPoint UnusedTcpEndPoint()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var endPoint = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();
        return endPoint;
    }

    /// <summary>GET with optional Basic credentials; the status and body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(string url, string? credentials = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credentials is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Console.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing writer; the temp folder is left for the OS to clean.
        }
    }
}
