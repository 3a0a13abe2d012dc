using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Faults;

namespace Siprec.EndToEnd.Tests.Cluster;

/// <summary>One <c>siprec gateway</c> process of the cluster rig: its node id, ports, configuration file and a REST client with the account's credentials.</summary>
internal sealed class ClusterNode : IDisposable
{
    private readonly HttpClient _http;

    public ClusterNode(string nodeId, int sipPort, int httpPort, string configPath, string accountSid, string authToken)
    {
        NodeId = nodeId;
        SipPort = sipPort;
        HttpPort = httpPort;
        ConfigPath = configPath;
        AccountSid = accountSid;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}")));
    }

    public string NodeId { get; }

    public int SipPort { get; }

    public int HttpPort { get; }

    public string ConfigPath { get; }

    public string AccountSid { get; }

    /// <summary>Its SIP URI in the dispatcher list.</summary>
    public string DispatcherUri => $"sip:127.0.0.1:{SipPort}";

    /// <summary>The running process (replaced when the node is restarted).</summary>
    public SiprecProcess Process { get; set; } = null!;

    /// <summary>The SIDs of the calls this gateway itself holds (its Calls list, in-progress ones).</summary>
    public async Task<IReadOnlyList<string>> LiveCallSidsAsync()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"/2010-04-01/Accounts/{AccountSid}/Calls.json?Status=in-progress&PageSize=100", null);
        if (status != HttpStatusCode.OK) throw new InvalidOperationException($"{NodeId} Calls list answered {(int)status}: {body}");
        return ((JArray)body["calls"]!).Select(c => (string)c["sid"]!).ToList();
    }

    /// <summary>POSTs a form to a call's Twilio SIPREC path on this node: a create when <paramref name="sid"/> is null, else an update.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> PostSiprecAsync(string callSid, string? sid, params (string Name, string Value)[] form) =>
        SendAsync(HttpMethod.Post, SiprecPath(callSid, sid), form);

    /// <summary>GETs a call's session (or its list with <paramref name="sid"/> null) on this node.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> GetSiprecAsync(string callSid, string? sid, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, SiprecPath(callSid, sid), null, headers);

    /// <summary>GET of any path with this node's credentials.</summary>
    public Task<(HttpStatusCode Status, JObject Body)> SendRawGetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    /// <summary>GET of a path without credentials (health endpoints).</summary>
    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = null;
        try
        {
            using var response = await _http.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        Process?.Dispose();
        _http.Dispose();
    }

    private string SiprecPath(string callSid, string? sid) =>
        $"/2010-04-01/Accounts/{AccountSid}/Calls/{callSid}/Siprec" + (sid is null ? ".json" : $"/{sid}.json");

    private async Task<(HttpStatusCode, JObject)> SendAsync(HttpMethod method, string path, (string Name, string Value)[]? form, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (form is not null) request.Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JObject() : JObject.Parse(text));
    }
}
