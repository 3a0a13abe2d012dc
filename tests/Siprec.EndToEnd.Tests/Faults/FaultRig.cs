using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Cli.Demo.Caller;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// Real processes on 127.0.0.1 for the fault tests (issue 11): <c>siprec srs</c> recorders, one <c>siprec gateway</c> with
/// its REST API and a connector naming them, and a caller (the demo caller, in the test) talking the caller sample in a
/// loop to a flow that keeps the call up. The test then drives the recording over the Twilio REST path and hurts the
/// recorders by PID. Everything the test sees is what an operator sees: REST resources, the processes' output, sidecars.
/// </summary>
internal sealed partial class FaultRig : IAsyncDisposable
{
    /// <summary>The one REST account.</summary>
    public const string AccountSid = "AC000000000000000000000000000fa17";

    private const string AuthToken = "fault-token-0123456789abcdef";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly List<SiprecProcess> _processes = [];
    private readonly List<TalkingCaller> _earlierCallers = [];
    private TalkingCaller? _caller;
    private HttpClient? _http;

    public FaultRig(string work) => Work = work;

    /// <summary>The test's temporary folder.</summary>
    public string Work { get; }

    /// <summary>The gateway process, once started.</summary>
    public SiprecProcess Gateway { get; private set; } = null!;

    /// <summary>The live call's SID, read from the gateway's "call … answered" log line.</summary>
    public string CallSid { get; private set; } = "";

    /// <summary>
    /// Starts a <c>siprec srs</c> on a free port (UDP and TCP) writing to its own folder, or to <paramref name="output"/>,
    /// with <paramref name="options"/> (e.g. <c>--media-timeout 3</c>) added to its command line.
    /// </summary>
    public async Task<RunningSrs> StartSrsAsync(string name, string? output = null, params string[] options)
    {
        var port = FreePorts.UdpAndTcp();
        output ??= Path.Combine(Work, name);
        var process = await SiprecProcess.StartAsync(name,
            ["srs", "--listen", $"udp:127.0.0.1:{port}", "--listen", $"tcp:127.0.0.1:{port}", "--out", output, .. options], "SRS listening on", Work);
        _processes.Add(process);
        return new RunningSrs(process, port, output);
    }

    /// <summary>
    /// Starts <c>siprec gateway</c> with a configuration file holding the account, the connector <c>rec</c> (<paramref name="connector"/>:
    /// extra keys merged into <c>{"name":"rec"}</c>), a flow that keeps every call up for 120 s, and its REST API;
    /// <paramref name="configure"/> may change the configuration before it is written (e.g. a voice URL instead of the flow).
    /// </summary>
    public async Task StartGatewayAsync(JObject connector, JObject? limits = null, JObject? dns = null, Action<JObject>? configure = null)
    {
        var sipPort = FreePorts.UdpAndTcp();
        var httpPort = FreePorts.UdpAndTcp();
        var flow = Path.Combine(Work, "hold.json");
        await File.WriteAllTextAsync(flow,
            """{"name":"hold","nodes":[{"type":"play","config":{"prompt":"welcome"}},{"type":"wait","config":{"seconds":120}}]}""");
        connector["name"] = "rec";
        var config = new JObject
        {
            ["sip"] = new JArray($"udp:127.0.0.1:{sipPort}", $"tcp:127.0.0.1:{sipPort}"),
            ["http"] = $"127.0.0.1:{httpPort}",
            ["flow"] = flow,
            ["prompts"] = Path.Combine(RepoPaths.Samples, "audio"),
            ["accounts"] = new JArray(new JObject { ["sid"] = AccountSid, ["authToken"] = AuthToken }),
            ["defaultAccount"] = AccountSid,
            ["connectors"] = new JArray(connector),
        };
        if (limits is not null) config["limits"] = limits;
        if (dns is not null) config["dns"] = dns;
        configure?.Invoke(config);
        var path = Path.Combine(Work, "gateway.json");
        await File.WriteAllTextAsync(path, config.ToString());
        Gateway = await SiprecProcess.StartAsync("gateway", ["gateway", "--config", path], "Ctrl+C stops", Work);
        _processes.Add(Gateway);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = Bound };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
        SipPort = sipPort;
    }

    /// <summary>The caller's view of the call once it ends (answered, who hung up).</summary>
    public Task<DemoCallResult> CallResult => _caller?.Result ?? throw new InvalidOperationException("no call placed");

    /// <summary>The gateway's SIP port (UDP and TCP).</summary>
    public int SipPort { get; private set; }

    /// <summary>
    /// Places a call and waits (bounded) for the gateway's next "call CA… answered" line, which gives <see cref="CallSid"/>; a
    /// call placed before stays up (hung up at dispose) and REST requests go to the new one.
    /// </summary>
    public async Task CallAsync()
    {
        var answeredBefore = AnsweredPattern().Matches(Gateway.Output).Count;
        if (_caller is not null) _earlierCallers.Add(_caller);
        _caller = TalkingCaller.Call(SipUri.Parse($"sip:bot@127.0.0.1:{SipPort}"));
        var call = _caller.Result;
        await Poll.UntilAsync(() => AnsweredPattern().Matches(Gateway.Output).Count > answeredBefore || call.IsCompleted, Bound, "the gateway to answer the call");
        var answered = AnsweredPattern().Matches(Gateway.Output);
        if (answered.Count <= answeredBefore) throw new InvalidOperationException($"the call was not answered:\n{Gateway.Output}");
        CallSid = answered[answeredBefore].Groups[1].Value;
    }

    /// <summary>POSTs a form to the call's Twilio SIPREC path: a create when <paramref name="sid"/> is null, else an update of that session.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> PostAsync(string? sid, params (string Name, string Value)[] form) =>
        SendAsync(HttpMethod.Post, sid, form);

    /// <summary>GETs one session (or, with <paramref name="sid"/> null, the call's list).</summary>
    public Task<(HttpStatusCode Status, JObject Body)> FetchAsync(string? sid) => SendAsync(HttpMethod.Get, sid, null);

    /// <summary>
    /// Fetches the session until <paramref name="done"/> holds (bounded by <paramref name="bound"/>) and returns that resource;
    /// the timeout's message carries the last resource and the gateway's output.
    /// </summary>
    public async Task<JObject> WaitForResourceAsync(string sid, Func<JObject, bool> done, TimeSpan bound, string what)
    {
        JObject last = new();
        try
        {
            await Poll.UntilAsync(() =>
            {
                var (status, body) = FetchAsync(sid).GetAwaiter().GetResult();
                last = body;
                return status == HttpStatusCode.OK && done(body);
            }, bound, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last resource: {last}\ngateway output:\n{Gateway.Output}", ex);
        }
        return last;
    }

    /// <summary>The <c>recorders[]</c> entry of <paramref name="uri"/> in a session resource, or an empty object.</summary>
    public static JToken Recorder(JObject resource, string uri) =>
        (resource["recorders"] as JArray)?.FirstOrDefault(r => (string?)r["srs_uri"] == uri) ?? new JObject();

    /// <summary>Hangs the caller up (BYE) and waits for the call to end; idempotent.</summary>
    public Task HangUpAsync() => _caller?.HangUpAsync() ?? Task.CompletedTask;

    /// <summary>Hangs up, then stops every process it started (Ctrl+C, then by PID).</summary>
    public async ValueTask DisposeAsync()
    {
        await HangUpAsync();
        if (_caller is not null) await _caller.DisposeAsync();
        foreach (var earlier in _earlierCallers)
        {
            await earlier.HangUpAsync();
            await earlier.DisposeAsync();
        }
        foreach (var process in _processes)
        {
            if (!process.HasExited) await process.StopAsync(TimeSpan.FromSeconds(10));
            process.Dispose();
        }
        _http?.Dispose();
    }

    [GeneratedRegex(@"call (CA[0-9a-f]{32}) answered")]
    private static partial Regex AnsweredPattern();

    private async Task<(HttpStatusCode, JObject)> SendAsync(HttpMethod method, string? sid, (string Name, string Value)[]? form)
    {
        var path = $"/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Siprec" + (sid is null ? ".json" : $"/{sid}.json");
        using var request = new HttpRequestMessage(method, path);
        if (form is not null) request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await _http!.SendAsync(request);
        return (response.StatusCode, JObject.Parse(await response.Content.ReadAsStringAsync()));
    }
}
