using Newtonsoft.Json.Linq;
using Siprec.EndToEnd.Tests.Faults;
using Siprec.EndToEnd.Tests.Interop;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Cluster;

/// <summary>
/// Cluster mode on 127.0.0.1 with real processes (issue 15): <c>redis-server</c> as the registry, one <c>siprec srs</c>, two
/// <c>siprec gateway</c> processes (nodes <c>gw-a</c> and <c>gw-b</c>) recording to it, and Kamailio's dispatcher
/// (<c>samples/kamailio/dispatcher.cfg</c>) in front of them. TTLs and probe intervals are short so the test runs quickly:
/// entries live 3 s (heartbeat 500 ms), Kamailio probes every second and fails a silent gateway over after 1 s.
/// Callers are demo callers that talk until hung up. Everything is stopped by its own PID.
/// </summary>
internal sealed class ClusterRig : IAsyncDisposable
{
    public const string AccountSid = "AC0000000000000000000000000000c1a5";
    public const string ClusterName = "e2e";
    public const int TtlSecs = 3;
    public const string OtherAccountSid = "AC0000000000000000000000000000c1a6";
    public const string OtherAuthToken = "other-token-0123456789abcdef";
    private const string AuthToken = "cluster-token-0123456789abcdef";
    private readonly string _work;
    private readonly List<TalkingCaller> _callers = [];
    private readonly List<SiprecProcess> _processes = [];

    private ClusterRig(string work) => _work = work;

    public RedisServer Redis { get; private set; } = null!;

    public RunningSrs Srs { get; private set; } = null!;

    public Kamailio Proxy { get; private set; } = null!;

    public ClusterNode A { get; private set; } = null!;

    public ClusterNode B { get; private set; } = null!;

    /// <summary>Starts Redis, the SRS, both gateways and the dispatcher.</summary>
    public static async Task<ClusterRig> StartAsync(string work)
    {
        Siprec.Testing.Peers.Require("kamailio");
        Siprec.Testing.Peers.Require("redis-server");
        var rig = new ClusterRig(work);
        try
        {
            rig.Redis = await RedisServer.StartAsync(work);
            var srsPort = FreePorts.UdpAndTcp();
            var output = Path.Combine(work, "srs");
            var srs = await SiprecProcess.StartAsync("srs",
                ["srs", "--listen", $"udp:127.0.0.1:{srsPort}", "--listen", $"tcp:127.0.0.1:{srsPort}", "--out", output], "SRS listening on", work);
            rig._processes.Add(srs);
            rig.Srs = new RunningSrs(srs, srsPort, output);
            rig.A = await rig.StartNodeAsync("gw-a");
            rig.B = await rig.StartNodeAsync("gw-b");
            rig.Proxy = await Kamailio.StartDispatcherAsync(work, [rig.A.DispatcherUri, rig.B.DispatcherUri], pingIntervalSecs: 1, failureTimerMs: 1000);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Places a call to the bot through Kamailio; it talks until the rig hangs it up.</summary>
    public TalkingCaller Call()
    {
        var caller = TalkingCaller.Call(SipUri.Parse($"sip:bot@127.0.0.1:{Proxy.Port}"));
        _callers.Add(caller);
        return caller;
    }

    /// <summary>Hangs up every call placed so far (BYE through Kamailio).</summary>
    public async Task HangUpAllAsync()
    {
        await Task.WhenAll(_callers.Select(c => c.HangUpAsync()));
    }

    /// <summary>Starts (or restarts, same ports and configuration) the gateway of <paramref name="node"/>.</summary>
    public async Task RestartAsync(ClusterNode node)
    {
        node.Process.Dispose();
        node.Process = await SiprecProcess.StartAsync(node.NodeId, ["gateway", "--config", node.ConfigPath], "Ctrl+C stops", _work);
    }

    /// <summary>The registry key of a node's liveness entry.</summary>
    public static string NodeKey(string nodeId) => $"siprec:{ClusterName}:node:{nodeId}";

    /// <summary>The registry key of a call's entry.</summary>
    public static string CallKey(string callSid) => $"siprec:{ClusterName}:call:{callSid}";

    /// <summary>The SRS sidecars of a call's sessions.</summary>
    public IReadOnlyList<JObject> SidecarsOf(string callSid) => Srs.Sidecars().Where(s => (string?)s["callSid"] == callSid).ToList();

    /// <summary>Caller RTP packets the SRS wrote for a call (stream label 1 of its sessions).</summary>
    public long CallerPackets(string callSid) =>
        SidecarsOf(callSid).SelectMany(s => s["streams"] as JArray ?? []).Where(s => (string?)s["label"] == "1").Sum(s => (long?)s["packets"] ?? 0);

    /// <summary>What the gateways, the SRS and Kamailio printed, for failure messages.</summary>
    public string Diagnostics() =>
        $"gw-a:\n{Tail(A?.Process?.Output)}\ngw-b:\n{Tail(B?.Process?.Output)}\nkamailio:\n{Tail(Proxy?.Summary())}";

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_callers.Select(c => c.DisposeAsync().AsTask()));
        foreach (var node in new[] { A, B }.OfType<ClusterNode>())
        {
            if (node.Process is { HasExited: false } process) await process.StopAsync(TimeSpan.FromSeconds(10));
            node.Dispose();
        }
        if (Proxy is not null) await Proxy.DisposeAsync();
        foreach (var process in _processes)
        {
            if (!process.HasExited) await process.StopAsync(TimeSpan.FromSeconds(10));
            process.Dispose();
        }
        if (Redis is not null) await Redis.DisposeAsync();
    }

    // SIPREC_E2E_TAIL=N prints the last N lines of each process in a failure message (default 40).
    private static readonly int TailLines = int.TryParse(Environment.GetEnvironmentVariable("SIPREC_E2E_TAIL"), out var n) ? n : 40;

    private static string Tail(string? text) => text is null ? "" : string.Join("\n", text.Split('\n').TakeLast(TailLines));

    private async Task<ClusterNode> StartNodeAsync(string nodeId)
    {
        var sipPort = FreePorts.UdpAndTcp();
        var httpPort = FreePorts.UdpAndTcp();
        var flow = Path.Combine(_work, "hold.json");
        await File.WriteAllTextAsync(flow,
            """{"name":"hold","nodes":[{"type":"play","config":{"prompt":"welcome"}},{"type":"wait","config":{"seconds":120}}]}""");
        var config = new JObject
        {
            ["sip"] = new JArray($"udp:127.0.0.1:{sipPort}"),
            ["http"] = $"127.0.0.1:{httpPort}",
            ["flow"] = flow,
            ["prompts"] = Path.Combine(RepoPaths.Samples, "audio"),
            ["accounts"] = new JArray(new JObject { ["sid"] = AccountSid, ["authToken"] = AuthToken },
                new JObject { ["sid"] = OtherAccountSid, ["authToken"] = OtherAuthToken }),
            ["defaultAccount"] = AccountSid,
            ["connectors"] = new JArray(new JObject { ["name"] = "rec", ["uris"] = new JArray(Srs.Uri) }),
            ["cluster"] = new JObject
            {
                ["redis"] = Redis.Address,
                ["name"] = ClusterName,
                ["nodeId"] = nodeId,
                ["advertiseUrl"] = $"http://127.0.0.1:{httpPort}",
                ["ttlSecs"] = TtlSecs,
                ["heartbeatMs"] = 500,
                ["orphanWindowSecs"] = 120,
                ["drainTimeoutSecs"] = 60,
            },
        };
        var path = Path.Combine(_work, nodeId + ".json");
        await File.WriteAllTextAsync(path, config.ToString());
        var node = new ClusterNode(nodeId, sipPort, httpPort, path, AccountSid, AuthToken);
        node.Process = await SiprecProcess.StartAsync(nodeId, ["gateway", "--config", path], "Ctrl+C stops", _work);
        return node;
    }
}
