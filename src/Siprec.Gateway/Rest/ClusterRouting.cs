using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Gateway.Cluster;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest;

/// <summary>
/// One REST API over the cluster (issue 15): a request for a call this node does not hold is looked up in the registry
/// and forwarded to the owner, whose exact answer the client gets; the owner re-checks the credentials and stays the truth
/// about the call's recordings. A call whose owner is gone answers 404 saying so; an owner that does not answer in time, 504.
/// </summary>
internal sealed class ClusterRouting : IDisposable
{
    private readonly ClusterRegistry _registry;
    private readonly RestForwarder _forwarder;
    private readonly ILogger _logger;
    private readonly Observability.GatewayMetrics _metrics;

    /// <param name="registry">The call registry.</param>
    /// <param name="forwardTimeout">The longest an owner may take to answer a forwarded request.</param>
    /// <param name="metrics">Counts the forwards by outcome.</param>
    /// <param name="logger">Logger.</param>
    public ClusterRouting(ClusterRegistry registry, TimeSpan forwardTimeout, Observability.GatewayMetrics metrics, ILogger logger)
    {
        _registry = registry;
        _metrics = metrics;
        _forwarder = new RestForwarder(registry.NodeId, forwardTimeout);
        _logger = logger;
    }

    /// <summary>
    /// Routes a request for <paramref name="callSid"/> of <paramref name="accountSid"/> (already authenticated here) that
    /// this node does not hold.
    /// </summary>
    /// <returns>
    /// <c>Answered</c> when the owner's answer was written; else a refusal to answer (404 owner gone, 504 owner silent), or
    /// null when the registry does not know the call for this account (the caller answers its usual 404).
    /// </returns>
    public async Task<(bool Answered, (int Status, JObject Body)? Refusal)> RouteAsync(HttpContext context, string callSid, string accountSid)
    {
        if (RestForwarder.WasForwarded(context.Request)) return (false, null);
        var owner = await _registry.FindAsync(callSid).ConfigureAwait(false);
        // Another account's call looks exactly like an unknown one, as on a single node.
        if (owner is null || owner.AccountSid != accountSid || owner.NodeId == _registry.NodeId) return (false, null);
        var request = context.Request;
        if (owner.Url is null)
        {
            Cluster.Log.OwnerUnavailable(_logger, request.Method, request.Path, callSid, owner.NodeId, "its registry entry expired");
            _metrics.Forwarded("owner-gone");
            return (false, (404, SiprecResourceJson.Error(GatewayTexts.CallGatewayUnavailable(owner.NodeId))));
        }
        var (outcome, status, reason) = await _forwarder.ForwardAsync(context, owner.Url).ConfigureAwait(false);
        switch (outcome)
        {
            case ForwardOutcome.Answered:
                Cluster.Log.Forwarded(_logger, request.Method, request.Path, callSid, owner.NodeId, status);
                _metrics.Forwarded("answered");
                return (true, null);
            case ForwardOutcome.TimedOut:
                Cluster.Log.ForwardTimedOut(_logger, request.Method, request.Path, callSid, owner.NodeId, _forwarder.Timeout.TotalSeconds);
                _metrics.Forwarded("timed-out");
                return (false, (504, SiprecResourceJson.Error(GatewayTexts.CallGatewayTimedOut(owner.NodeId, _forwarder.Timeout))));
            default:
                Cluster.Log.OwnerUnavailable(_logger, request.Method, request.Path, callSid, owner.NodeId, RecordingErrorTexts.Printable(reason));
                _metrics.Forwarded("unreachable");
                return (false, (404, SiprecResourceJson.Error(GatewayTexts.CallGatewayUnavailable(owner.NodeId))));
        }
    }

    /// <summary>Closes the forwarding connections.</summary>
    public void Dispose() => _forwarder.Dispose();
}
