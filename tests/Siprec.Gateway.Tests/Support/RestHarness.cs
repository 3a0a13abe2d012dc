using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Gateway.Configuration;
using Siprec.Recording.Connectors;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.Support;

/// <summary>
/// A gateway with its REST API on 127.0.0.1, two accounts, connectors to fake SRSs ("ok", "busy", "tenant": the
/// accepting SRS with an <c>X-Tenant: acme-42</c> header and no session timer, "pair": two accepting SRSs, <see cref="Srs"/>
/// and <see cref="Srs2"/>, and "standby": <see cref="Srs"/> with the failover standbys <see cref="Busy"/> then <see cref="Srs2"/>),
/// and one live call of account A.
/// The caller can hang up and place a new call; the gateway's clock can be a fake one.
/// </summary>
public sealed class RestHarness : IAsyncDisposable
{
    /// <summary>Account A (owns the call).</summary>
    public const string AccountA = "AC0000000000000000000000000000000a";

    /// <summary>Account B (owns nothing).</summary>
    public const string AccountB = "AC0000000000000000000000000000000b";

    /// <summary>A's token.</summary>
    public const string TokenA = "token-a-0123456789abcdef";

    /// <summary>B's token.</summary>
    public const string TokenB = "token-b-0123456789abcdef";

    /// <summary>A's Bearer key.</summary>
    public const string KeyA = "KEY-a-0123456789abcdef";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly List<TestUac> _uacs = [];

    private RestHarness(FakeSrs srs, FakeSrs srs2, FakeSrs busy, RecordingGateway gateway, HttpClient http)
    {
        Srs = srs;
        Srs2 = srs2;
        Busy = busy;
        Gateway = gateway;
        Http = http;
    }

    /// <summary>An accepting SRS behind connector "ok".</summary>
    public FakeSrs Srs { get; }

    /// <summary>The second accepting SRS of connector "pair".</summary>
    public FakeSrs Srs2 { get; }

    /// <summary>A refusing SRS behind connector "busy".</summary>
    public FakeSrs Busy { get; }

    /// <summary>The gateway.</summary>
    public RecordingGateway Gateway { get; }

    /// <summary>A client for the REST API (no credentials by default).</summary>
    public HttpClient Http { get; }

    /// <summary>The caller of the call placed last (its <see cref="TestUac.ByeReceived"/> completes with the gateway's BYE).</summary>
    public TestUac Caller => _uacs[^1];

    /// <summary>The SID of the call placed last (live until <see cref="HangUpAsync"/>).</summary>
    public string CallSid { get; private set; } = "";

    /// <summary>The gateway's 200 OK to the INVITE of the call placed last.</summary>
    public Siprec.Sip.Messages.SipResponse Answer { get; private set; } = null!;

    /// <summary>Starts everything and places the call (INVITE with <c>X-Account-Sid</c> of A, answered and ACKed).</summary>
    /// <param name="callbacks">Callback delivery; default <see cref="CallbackOptions"/>.</param>
    /// <param name="time">The gateway's clock; default the system clock.</param>
    /// <param name="retention">How long ended calls stay readable; default <see cref="EndedCallRetentionOptions"/>.</param>
    /// <param name="loggerFactory">The gateway's loggers; default none.</param>
    /// <param name="configure">Changes the options before the gateway starts (e.g. <c>RecordingRequired</c>, a connector's setting).</param>
    public static async Task<RestHarness> StartAsync(CallbackOptions? callbacks = null, TimeProvider? time = null,
                                                     EndedCallRetentionOptions? retention = null, ILoggerFactory? loggerFactory = null,
                                                     Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        var srs2 = FakeSrs.Start(FakeSrsBehavior.Accept, user: "srs2");
        var busy = FakeSrs.Start(FakeSrsBehavior.Reject486, user: "busy");
        var options = new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            NoAnswerTimeout = TimeSpan.FromSeconds(2),
            Accounts = [new GatewayAccount(AccountA, TokenA, [KeyA]), new GatewayAccount(AccountB, TokenB, [])],
            Connectors = new SrsConnectorOptions
            {
                Connectors =
                {
                    ["ok"] = new SrsConnector { Uris = [srs.Uri] },
                    ["busy"] = new SrsConnector { Uris = [busy.Uri] },
                    ["tenant"] = new SrsConnector { Uris = [srs.Uri], SessionTimeoutSecs = 0, Headers = { ["X-Tenant"] = "acme-42" } },
                    ["pair"] = new SrsConnector { Uris = [srs.Uri, srs2.Uri] },
                    ["second"] = new SrsConnector { Uris = [srs2.Uri] },
                    ["standby"] = new SrsConnector { Uris = [srs.Uri], FailoverUris = [busy.Uri, srs2.Uri] },
                },
            },
            Callbacks = callbacks ?? new CallbackOptions(),
            EndedCallRetention = retention ?? new EndedCallRetentionOptions(),
        };
        options = configure?.Invoke(options) ?? options;
        var gateway = new RecordingGateway(options, time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        var http = new HttpClient { BaseAddress = new Uri($"http://{gateway.HttpEndPoint}"), Timeout = TimeSpan.FromSeconds(20) };
        var harness = new RestHarness(srs, srs2, busy, gateway, http);
        await harness.CallAsync();
        return harness;
    }

    /// <summary>The caller hangs up the call placed last (BYE, answered 200); completes once the gateway has torn it down.</summary>
    public async Task HangUpAsync()
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callSid = CallSid;
        void OnEnded(CallSummary summary)
        {
            if (summary.CallSid == callSid) ended.TrySetResult();
        }
        Gateway.CallEnded += OnEnded;
        try
        {
            var outcome = await _uacs[^1].SendInDialogAsync("BYE", []).WaitAsync(Bound);
            if (!outcome.IsSuccess)
            {
                throw new InvalidOperationException($"the gateway did not accept the BYE: {outcome.Kind} {outcome.Response?.StatusCode}");
            }
            await ended.Task.WaitAsync(Bound);
        }
        finally
        {
            Gateway.CallEnded -= OnEnded;
        }
    }

    /// <summary>Places another call of account A; <see cref="CallSid"/> becomes its SID.</summary>
    public Task CallAgainAsync() => CallAsync();

    /// <summary>Twilio path of the call's sessions, for an account.</summary>
    public string Path(string account = AccountA, string? sidOrName = null, string prefix = "/2010-04-01") =>
        $"{prefix}/Accounts/{account}/Calls/{CallSid}/Siprec" + (sidOrName is null ? ".json" : $"/{sidOrName}.json");

    /// <summary>A request with Basic credentials and a form body (null body: GET).</summary>
    public async Task<(HttpStatusCode Status, JObject Body)> SendAsync(string path, IEnumerable<(string, string)>? form,
        string account = AccountA, string token = TokenA, string? bearer = null, bool anonymous = false)
    {
        var content = form is null ? null : new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
        return await SendContentAsync(path, content, account, token, bearer, anonymous);
    }

    /// <summary>A request with Basic credentials and any body (null: GET); the answer must be JSON.</summary>
    public async Task<(HttpStatusCode Status, JObject Body)> SendContentAsync(string path, HttpContent? content,
        string account = AccountA, string token = TokenA, string? bearer = null, bool anonymous = false)
    {
        using var request = new HttpRequestMessage(content is null ? HttpMethod.Get : HttpMethod.Post, path) { Content = content };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        else if (!anonymous)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{token}")));
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JObject.Parse(text));
    }

    /// <summary>Creates a session on connector "ok".</summary>
    public Task<(HttpStatusCode Status, JObject Body)> CreateAsync(params (string, string)[] extra) =>
        SendAsync(Path(), new[] { ("ConnectorName", "ok") }.Concat(extra));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        foreach (var uac in _uacs)
        {
            await uac.DisposeAsync();
        }
        await Srs.DisposeAsync();
        await Srs2.DisposeAsync();
        await Busy.DisposeAsync();
    }

    private async Task CallAsync()
    {
        var uac = new TestUac();
        _uacs.Add(uac);
        var before = Gateway.ActiveCallSids;
        await using var rtp = Siprec.Media.Rtp.RtpSocket.Bind(IPAddress.Loopback);
        var outcome = await uac.InviteAsync(Gateway.SipEndPoint, TestUac.Offer(rtp.LocalEndPoint.Port), accountSid: AccountA).WaitAsync(Bound);
        if (!outcome.IsSuccess)
        {
            throw new InvalidOperationException($"the gateway did not answer the call: {outcome.Kind} {outcome.Response?.StatusCode}");
        }
        CallSid = Assert.Single(Gateway.ActiveCallSids.Except(before));
        Answer = outcome.Response!;
    }
}
