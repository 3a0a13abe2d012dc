using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;
using Siprec.Recorder;
using Siprec.Recording.Connectors;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.ControlPlane;

/// <summary>
/// One live call recorded through the Telnyx REST path (DESIGN §4.4), all on 127.0.0.1: the embedded SRS listening on
/// exactly one SIP listener (so the recording can only succeed over that transport), a gateway whose connector "srs"
/// names that listener's port as a plain <c>sip:</c> URI with the default transport udp (for TLS only the request's
/// overrides can make it work; a TCP-only listener is also reached by the RFC 3261 §18.1.1 size rule, since the SIPREC
/// INVITE is above 1300 bytes, so TCP tests check the transport the SRS recorded, not only that it worked), a flow that plays the welcome prompt to the caller, and the demo caller talking the
/// caller sample in a loop.
/// </summary>
internal sealed class RestRecordingRig : IAsyncDisposable
{
    /// <summary>The one REST account; it owns every call (the caller's INVITE names none).</summary>
    public const string AccountSid = "AC00000000000000000000000000000e2e";

    private const string AuthToken = "e2e-token-0123456789abcdef";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<RecordedSessionSummary> _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RecordingServer? _srs;
    private RecordingGateway? _gateway;
    private TalkingCaller? _caller;
    private HttpClient? _http;

    private RestRecordingRig(string outputDirectory) => OutputDirectory = outputDirectory;

    /// <summary>Where the SRS writes the WAV and JSON.</summary>
    public string OutputDirectory { get; }

    /// <summary>The SID of the live call.</summary>
    public string CallSid { get; private set; } = "";

    /// <summary>The SRS's listener the connector points at.</summary>
    public SipListenEndPoint SrsListener { get; private set; } = null!;

    /// <summary>Completes with the first session the SRS finishes.</summary>
    public Task<RecordedSessionSummary> Recorded => _recorded.Task;

    /// <summary>Starts the SRS on <paramref name="listener"/>, the gateway with its REST API, and places the call.</summary>
    /// <param name="listener">The SRS's only SIP listener (port 0 = any free port).</param>
    /// <param name="certificate">What a TLS listener presents; null for UDP/TCP.</param>
    /// <param name="work">A temporary folder for the flow file and the recordings.</param>
    /// <param name="trust">The roots the gateway's SRC trusts for TLS (<see cref="GatewayOptions.SrcTls"/>); null: the system store.</param>
    /// <param name="configure">Changes the gateway's options before it starts (e.g. the media engine); null keeps them.</param>
    /// <exception cref="TimeoutException">The call did not come up within the bound.</exception>
    public static async Task<RestRecordingRig> StartAsync(SipListenEndPoint listener, X509Certificate2? certificate, string work,
        X509Certificate2Collection? trust = null, Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        var rig = new RestRecordingRig(Path.Combine(work, "recordings"));
        try
        {
            await rig.StartPeersAsync(listener, certificate, work, trust, configure ?? (o => o));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>POSTs a form to the call's Telnyx SIPREC path: a create when <paramref name="sid"/> is null, else an update of that session.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> PostAsync(string? sid, params (string Name, string Value)[] form) =>
        SendAsync(HttpMethod.Post, sid, form);

    /// <summary>GETs the list of the call's sessions from the Telnyx path.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> ListAsync() => SendAsync(HttpMethod.Get, null, null);

    /// <summary>GETs one session (by SID) of the call from the Telnyx path.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> FetchAsync(string sid) => SendAsync(HttpMethod.Get, sid, null);

    /// <summary>Polls until the SRS's WAV holds at least <paramref name="seconds"/> of audio on every channel, or throws <see cref="TimeoutException"/>.</summary>
    public Task WaitForAudioAsync(double seconds) =>
        Poll.UntilAsync(() => Directory.GetFiles(OutputDirectory, "*.wav") is [var wav] && new FileInfo(wav).Length >= 44 + (long)(seconds * 8000) * 2 * 2,
            Bound, $"{seconds} s of two-channel audio in the SRS's WAV");

    /// <summary>The caller hangs up (BYE) and the call ends; bounded.</summary>
    public Task HangUpAsync() => _caller?.HangUpAsync() ?? Task.CompletedTask;

    /// <summary>Hangs up, then stops the caller, the gateway and the SRS.</summary>
    public async ValueTask DisposeAsync()
    {
        await HangUpAsync();
        if (_caller is not null) await _caller.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_srs is not null) await _srs.DisposeAsync();
        _http?.Dispose();
    }

    private async Task StartPeersAsync(SipListenEndPoint listener, X509Certificate2? certificate, string work, X509Certificate2Collection? trust,
        Func<GatewayOptions, GatewayOptions> configure)
    {
        Directory.CreateDirectory(OutputDirectory);
        _srs = new RecordingServer(
            new RecordingServerOptions
            {
                SipEndPoint = null,
                AdditionalListenEndPoints = [listener],
                TlsCertificate = certificate,
                MediaAddress = IPAddress.Loopback,
                OutputDirectory = OutputDirectory,
            },
            TimeProvider.System, NullLoggerFactory.Instance);
        _srs.SessionCompleted += s => _recorded.TrySetResult(s);
        await _srs.StartAsync(CancellationToken.None);
        SrsListener = Assert.Single(_srs.ListenEndPoints);

        // Played three times so the bot channel is still talking when the REST create lands.
        var flowPath = Path.Combine(work, "welcome.json");
        await File.WriteAllTextAsync(flowPath,
            """{"name":"welcome","nodes":[{"type":"play","config":{"prompt":"welcome"}},{"type":"play","config":{"prompt":"welcome"}},"""
            + """{"type":"play","config":{"prompt":"welcome"}},{"type":"wait","config":{"seconds":60}}]}""");
        _gateway = new RecordingGateway(
            configure(new GatewayOptions
            {
                SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                FlowPath = flowPath,
                PromptDirectory = Path.Combine(RepoPaths.Samples, "audio"),
                Accounts = [new GatewayAccount(AccountSid, AuthToken, [])],
                DefaultAccountSid = AccountSid,
                SrcTls = new TlsOptions { TrustedRoots = trust },
                Connectors = new SrsConnectorOptions
                {
                    Connectors = { ["srs"] = new SrsConnector { Uris = [$"sip:srs@127.0.0.1:{SrsListener.EndPoint.Port}"] } },
                },
            }),
            TimeProvider.System, NullLoggerFactory.Instance);
        await _gateway.StartAsync(CancellationToken.None);
        _http = new HttpClient { BaseAddress = new Uri($"http://{_gateway.HttpEndPoint}"), Timeout = Bound };

        _caller = TalkingCaller.Call(SipUri.Parse($"sip:bot@{_gateway.SipEndPoint}"));
        var call = _caller.Result;
        await Poll.UntilAsync(() => _gateway.ActiveCallSids.Count == 1 || call.IsCompleted, Bound, "the caller's call to be up at the gateway");
        if (call.IsCompleted)
        {
            var result = await call;
            throw new InvalidOperationException($"the call ended before it could be recorded: answered {result.Answered}, status {result.FinalStatus}");
        }
        CallSid = _gateway.ActiveCallSids[0];
    }

    private async Task<(HttpStatusCode, JObject)> SendAsync(HttpMethod method, string? sid, (string Name, string Value)[]? form)
    {
        var path = $"/v2/texml/Accounts/{AccountSid}/Calls/{CallSid}/Siprec" + (sid is null ? ".json" : $"/{sid}.json");
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        }
        using var response = await _http!.SendAsync(request);
        return (response.StatusCode, JObject.Parse(await response.Content.ReadAsStringAsync()));
    }
}
