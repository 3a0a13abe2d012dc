using Siprec.Gateway.Calls;

namespace Siprec.Gateway.Rest;

/// <summary>
/// Where the REST API finds calls: the live ones and the ended ones the gateway still keeps
/// (<see cref="GatewayOptions.EndedCallRetention"/>). Live first: an ending call is kept before it leaves the live calls, so
/// one of the two always has it.
/// </summary>
internal sealed class RestCallDirectory
{
    private readonly Func<string, GatewayCall?> _findLive;
    private readonly Func<string, EndedCall?> _findEnded;
    private readonly Func<IReadOnlyList<GatewayCall>> _live;
    private readonly Func<IReadOnlyList<EndedCall>> _ended;

    /// <param name="findLive">The live call with a SID, or null.</param>
    /// <param name="findEnded">The ended call with a SID still kept, or null.</param>
    /// <param name="live">Every live call.</param>
    /// <param name="ended">Every ended call still kept.</param>
    public RestCallDirectory(Func<string, GatewayCall?> findLive, Func<string, EndedCall?> findEnded,
                             Func<IReadOnlyList<GatewayCall>> live, Func<IReadOnlyList<EndedCall>> ended)
    {
        _findLive = findLive;
        _findEnded = findEnded;
        _live = live;
        _ended = ended;
    }

    /// <summary>The call with this SID, live or kept; null when none.</summary>
    public RestCall? Find(string callSid) =>
        _findLive(callSid) is { } live ? RestCall.For(live) : _findEnded(callSid) is { } ended ? RestCall.For(ended) : null;

    /// <summary>Every call, live and kept, of every account (the operator's console), live first.</summary>
    public IReadOnlyList<RestCall> All()
    {
        var live = _live().Select(RestCall.For).ToList();
        var liveSids = live.Select(c => c.CallSid).ToHashSet(StringComparer.Ordinal);
        return live.Concat(_ended().Where(c => !liveSids.Contains(c.CallSid)).Select(RestCall.For)).ToList();
    }

    /// <summary>Every call of an account, live and kept, newest first (by answer time, then SID, so paging is stable).</summary>
    public IReadOnlyList<RestCall> ForAccount(string accountSid)
    {
        var live = _live().Where(c => c.AccountSid == accountSid).Select(RestCall.For).ToList();
        var liveSids = live.Select(c => c.CallSid).ToHashSet(StringComparer.Ordinal);
        var ended = _ended().Where(c => c.AccountSid == accountSid && !liveSids.Contains(c.CallSid)).Select(RestCall.For);
        return live.Concat(ended)
            .OrderByDescending(c => c.Started ?? DateTimeOffset.MinValue)
            .ThenByDescending(c => c.CallSid, StringComparer.Ordinal)
            .ToList();
    }
}
