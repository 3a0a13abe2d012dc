namespace Siprec.Gateway.Cluster;

/// <summary>What the registry holds about one call this node owns (never its recordings' state: the owner is the truth).</summary>
/// <param name="CallSid">The call's SID.</param>
/// <param name="AccountSid">Its account; null when it has none (the REST API cannot see it then).</param>
/// <param name="Sessions">Its SIPREC sessions: SID → name (null when unnamed).</param>
internal sealed record RegisteredCall(string CallSid, string? AccountSid, IReadOnlyDictionary<string, string?> Sessions);
