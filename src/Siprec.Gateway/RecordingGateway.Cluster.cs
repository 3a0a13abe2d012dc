using Microsoft.Extensions.Logging;
using Siprec.Gateway.Calls;
using Siprec.Gateway.Cluster;
using Siprec.Gateway.Rest;
using Siprec.Gateway.Security;

namespace Siprec.Gateway;

/// <summary>
/// Cluster mode, graceful drain and health (issue 15, <c>docs/SCALING.md</c>): the node's registry entries, the REST
/// forwarding to the node that holds a call, the draining state that turns OPTIONS and new INVITEs away with 503, and the
/// readiness <c>GET /readyz</c> reports.
/// </summary>
public sealed partial class RecordingGateway
{
    /// <summary>True once a drain was asked for (<see cref="BeginDrain"/>, SIGTERM, <c>POST /admin/drain</c>).</summary>
    public bool IsDraining => _drainRequested.Task.IsCompleted;

    /// <summary>Completes, with the reason, when a drain is asked for; the host then waits for <see cref="Drained"/> up to <see cref="ClusterOptions.DrainTimeout"/>.</summary>
    public Task<string> DrainRequested => _drainRequested.Task;

    /// <summary>Completes once the gateway is draining and holds no call any more.</summary>
    public Task Drained => _drained.Task;

    /// <summary>
    /// Starts draining: OPTIONS outside a dialog and new INVITEs are answered 503 (INVITE with <c>Retry-After</c>), the
    /// registry entry says <c>draining</c>, <c>GET /readyz</c> answers 503; established calls and their recordings go on.
    /// Idempotent. Ending the process is the host's part (<see cref="Drained"/>, then <see cref="DisposeAsync"/>).
    /// </summary>
    /// <param name="reason">Why, for the log (e.g. <c>SIGTERM</c>).</param>
    public void BeginDrain(string reason)
    {
        if (!_drainRequested.TrySetResult(reason)) return;
        if (_router is { } router) router.DrainRetryAfterSecs = _options.Cluster.DrainRetryAfterSecs;
        Cluster.Log.Draining(_logger, reason, ActiveCallCount, _options.Cluster.DrainTimeout.TotalSeconds);
        CheckDrained();
    }

    private void CheckDrained()
    {
        if (IsDraining && ActiveCallCount == 0 && _drained.TrySetResult())
        {
            Cluster.Log.Drained(_logger);
        }
    }

    // The registry reads the live calls at every heartbeat; a new call is written at once, an ended one kept as long as REST keeps it.
    private async Task<ClusterRouting?> StartClusterAsync(CallRouter router)
    {
        var cluster = _options.Cluster;
        if (cluster.Redis is null)
        {
            Metrics.ObserveCluster(() => IsDraining, null);
            return null;
        }
        _registry = new ClusterRegistry(cluster, _time, _loggerFactory.CreateLogger<ClusterRegistry>(),
            () => router.LiveCalls.Select(Registered).ToList(), () => IsDraining);
        var registry = _registry;
        router.OnCallAnswered = call => registry.CallAnswered(Registered(call));
        Metrics.ObserveCluster(() => IsDraining, () => registry.IsReachable);
        await registry.StartAsync().ConfigureAwait(false);
        // The owner may wait OperationTimeout for its recorders; the forward allows that plus slack for the hop.
        return new ClusterRouting(registry, _options.OperationTimeout + TimeSpan.FromSeconds(5), Metrics, _loggerFactory.CreateLogger<ClusterRouting>());
    }

    private void ClusterCallEnded(string callSid)
    {
        if (_registry is null) return;
        var sessions = _router?.FindEndedCall(callSid)?.Sessions.Select(s => s.Sid) ?? [];
        _registry.CallEnded(callSid, sessions, _options.EndedCallRetention.MaxCalls == 0 ? TimeSpan.Zero : _options.EndedCallRetention.Time);
    }

    private GatewayHealth Health(TrustedPeerList trusted) => new(ReadinessProblems, BeginDrain, trusted.IsTrusted);

    private IReadOnlyList<string> ReadinessProblems()
    {
        var problems = new List<string>();
        if (_listeners is null || _disposal is not null) problems.Add("listeners not up");
        if (_registry is { IsReachable: false }) problems.Add("registry unreachable");
        if (IsDraining) problems.Add("draining");
        return problems;
    }

    private static RegisteredCall Registered(GatewayCall call) =>
        new(call.CallSid, call.AccountSid, call.Controller.Resources.All.ToDictionary(r => r.Sid, r => r.Name, StringComparer.Ordinal));
}
