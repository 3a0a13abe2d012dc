using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StackExchange.Redis;

namespace Siprec.Gateway.Cluster;

/// <summary>
/// This node's part of the shared call registry in Redis (issue 15, <c>docs/SCALING.md</c>): a heartbeat rewrites, with
/// TTLs, the node's liveness entry and an entry per call it holds and per SIPREC session of those calls; a new call is
/// written at once, an ended one is kept as long as the node keeps it for the REST API. Nothing here is the truth about a
/// recording: the entries only say which node to ask. A node that dies stops refreshing, so its liveness entry vanishes
/// within <see cref="ClusterOptions.Ttl"/> and its call entries <see cref="ClusterOptions.OrphanWindow"/> later.
/// </summary>
internal sealed class ClusterRegistry : IAsyncDisposable
{
    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(2);
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClusterKeys _keys;
    private readonly Func<IReadOnlyList<RegisteredCall>> _calls;
    private readonly Func<bool> _draining;
    private readonly DateTimeOffset _startedAt;
    private ConnectionMultiplexer? _redis;
    private ITimer? _heartbeat;
    private int _beating;
    private volatile bool _reachable;
    private bool _reportedUnreachable;

    /// <param name="options">Validated cluster options with a <see cref="ClusterOptions.Redis"/> and <see cref="ClusterOptions.AdvertiseUrl"/>.</param>
    /// <param name="time">The heartbeat's clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="calls">The live calls this node holds, read at every heartbeat.</param>
    /// <param name="draining">Whether this node is draining (written into its liveness entry).</param>
    public ClusterRegistry(ClusterOptions options, TimeProvider time, ILogger<ClusterRegistry> logger, Func<IReadOnlyList<RegisteredCall>> calls, Func<bool> draining)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _keys = new ClusterKeys(options.Name);
        _calls = calls;
        _draining = draining;
        _startedAt = time.GetUtcNow();
    }

    /// <summary>This node's id.</summary>
    public string NodeId => _options.NodeId;

    /// <summary>True when the last heartbeat reached Redis (what <c>GET /readyz</c> reports).</summary>
    public bool IsReachable => _reachable;

    /// <summary>
    /// Connects (without failing when Redis is down: the multiplexer keeps retrying and <see cref="IsReachable"/> says so),
    /// writes the first heartbeat and starts the timer.
    /// </summary>
    public async Task StartAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Redis!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)CommandBound.TotalMilliseconds;
        configuration.AsyncTimeout = (int)CommandBound.TotalMilliseconds;
        configuration.ClientName = "siprec-" + _options.NodeId;
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        await BeatAsync().ConfigureAwait(false);
        _heartbeat = _time.CreateTimer(_ => _ = BeatAsync(), null, _options.EffectiveHeartbeat, _options.EffectiveHeartbeat);
        // Only the endpoints: the configuration string may carry a password.
        var servers = string.Join(",", configuration.EndPoints.Select(e => e.ToString()));
        Log.Registered(_logger, _options.Name, _options.NodeId, servers, _options.AdvertiseUrl!.ToString(), _options.Ttl.TotalSeconds,
            _options.EffectiveHeartbeat.TotalMilliseconds);
    }

    /// <summary>Writes a new call's entry at once (the heartbeat would only refresh it later).</summary>
    public void CallAnswered(RegisteredCall call) => _ = WriteAsync([call], node: false);

    /// <summary>
    /// A call ended: its entries now live as long as the node keeps the ended call for the REST API (<paramref name="kept"/>),
    /// after which they expire; zero deletes them.
    /// </summary>
    public void CallEnded(string callSid, IEnumerable<string> siprecSids, TimeSpan kept) => _ = ExpireAsync([_keys.Call(callSid), .. siprecSids.Select(_keys.Session)], kept);

    /// <summary>
    /// Which node holds <paramref name="callSid"/>; null when the registry does not know it (never existed, or its entries
    /// expired) or cannot be reached (logged).
    /// </summary>
    public async Task<CallOwner?> FindAsync(string callSid)
    {
        if (_redis is null) return null;
        try
        {
            var db = _redis.GetDatabase();
            var entry = await db.StringGetAsync(_keys.Call(callSid)).ConfigureAwait(false);
            if (entry.IsNullOrEmpty) return null;
            var call = JObject.Parse(entry.ToString());
            var node = (string?)call["node"];
            if (node is null) return null;
            var liveness = await db.StringGetAsync(_keys.Node(node)).ConfigureAwait(false);
            var url = liveness.IsNullOrEmpty ? null : (string?)JObject.Parse(liveness.ToString())["url"];
            return new CallOwner(node, (string?)call["accountSid"], url is null ? null : new Uri(url));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException or JsonException or UriFormatException)
        {
            Log.LookupFailed(_logger, callSid, ex.Message);
            return null;
        }
    }

    /// <summary>Stops the heartbeat and removes the node's liveness entry so it stops being listed at once; call entries keep their expiry.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null) await _heartbeat.DisposeAsync().ConfigureAwait(false);
        if (_redis is null) return;
        try
        {
            await _redis.GetDatabase().KeyDeleteAsync(_keys.Node(_options.NodeId)).WaitAsync(CommandBound, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.DeregisterFailed(_logger, _options.NodeId, ex.Message);
        }
        await _redis.DisposeAsync().ConfigureAwait(false);
    }

    // One heartbeat at a time: a slow Redis must not pile them up.
    private async Task BeatAsync()
    {
        if (Interlocked.Exchange(ref _beating, 1) == 1) return;
        try
        {
            await WriteAsync(_calls(), node: true).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _beating, 0);
        }
    }

    private async Task WriteAsync(IReadOnlyList<RegisteredCall> calls, bool node)
    {
        if (_redis is null) return;
        var entryTtl = _options.Ttl + _options.OrphanWindow;
        try
        {
            var batch = _redis.GetDatabase().CreateBatch();
            var writes = new List<Task>();
            if (node)
            {
                var liveness = new JObject
                {
                    ["node"] = _options.NodeId,
                    ["url"] = _options.AdvertiseUrl!.GetLeftPart(UriPartial.Authority),
                    ["draining"] = _draining(),
                    ["calls"] = calls.Count,
                    ["startedAt"] = _startedAt.ToString("O"),
                };
                writes.Add(batch.StringSetAsync(_keys.Node(_options.NodeId), liveness.ToString(Formatting.None), _options.Ttl));
            }
            foreach (var call in calls)
            {
                var sessions = new JObject();
                foreach (var (sid, name) in call.Sessions)
                {
                    if (name is not null) sessions[name] = sid;
                    var session = new JObject { ["node"] = _options.NodeId, ["callSid"] = call.CallSid, ["name"] = name };
                    writes.Add(batch.StringSetAsync(_keys.Session(sid), session.ToString(Formatting.None), entryTtl));
                }
                var entry = new JObject { ["node"] = _options.NodeId, ["accountSid"] = call.AccountSid, ["sessions"] = sessions };
                writes.Add(batch.StringSetAsync(_keys.Call(call.CallSid), entry.ToString(Formatting.None), entryTtl));
            }
            batch.Execute();
            await Task.WhenAll(writes).WaitAsync(CommandBound, _time).ConfigureAwait(false);
            Reachable(null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Reachable(ex.Message);
        }
    }

    private async Task ExpireAsync(IReadOnlyList<string> keys, TimeSpan kept)
    {
        if (_redis is null) return;
        try
        {
            var db = _redis.GetDatabase();
            var changes = keys.Select(k => kept > TimeSpan.Zero ? db.KeyExpireAsync(k, kept) : db.KeyDeleteAsync(k)).ToList();
            await Task.WhenAll(changes).WaitAsync(CommandBound, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Reachable(ex.Message);
        }
    }

    // Each change of reachability is logged once, not every heartbeat.
    private void Reachable(string? failure)
    {
        lock (_keys)
        {
            _reachable = failure is null;
            if (failure is not null && !_reportedUnreachable)
            {
                _reportedUnreachable = true;
                Log.RegistryUnreachable(_logger, failure);
            }
            else if (failure is null && _reportedUnreachable)
            {
                _reportedUnreachable = false;
                Log.RegistryReachable(_logger);
            }
        }
    }
}
