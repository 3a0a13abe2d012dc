using System.Net;

namespace Siprec.Gateway.Rest;

/// <summary>
/// What <c>GET /healthz</c>, <c>GET /readyz</c> and <c>POST /admin/drain</c> (issue 15) ask the gateway: readiness
/// (listeners up, registry reachable when configured, not draining) and the drain switch.
/// </summary>
/// <param name="Problems">Why the gateway is not ready now, empty when it is (e.g. <c>draining</c>, <c>registry unreachable</c>).</param>
/// <param name="Drain">Puts the gateway in draining, with the reason for the log; a second call changes nothing.</param>
/// <param name="MayDrain">Whether a client address may ask for a drain (the gateway's trusted peers).</param>
internal sealed record GatewayHealth(Func<IReadOnlyList<string>> Problems, Action<string> Drain, Func<IPAddress, bool> MayDrain);
