using Siprec.Gateway.Calls;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest;

/// <summary>
/// The call a REST request names (DESIGN §4.4): live, whose controller carries requests out, or ended and still kept,
/// whose sessions are read-only and stopped. Also what the Calls resource shows of it (issue 13).
/// </summary>
internal sealed class RestCall
{
    /// <summary>A live call's Calls-resource <c>status</c>: the gateway answers every call it keeps, so it is in progress.</summary>
    public const string InProgress = "in-progress";

    /// <summary>An ended call's Calls-resource <c>status</c>.</summary>
    public const string Completed = "completed";

    private readonly EndedCall? _ended;

    private RestCall(string callSid, string? accountSid, GatewayCall? live, EndedCall? ended)
    {
        CallSid = callSid;
        AccountSid = accountSid;
        Live = live;
        _ended = ended;
    }

    /// <summary>The call's SID.</summary>
    public string CallSid { get; }

    /// <summary>The account the call belongs to; null when none.</summary>
    public string? AccountSid { get; }

    /// <summary>The live call; null when it has ended.</summary>
    public GatewayCall? Live { get; }

    /// <summary>Every session of the call, oldest first.</summary>
    public IReadOnlyList<RecordingResource> Sessions => Live is not null ? Live.Controller.Resources.All : _ended!.Sessions;

    /// <summary>The caller's URI (the INVITE's From); empty when not known.</summary>
    public string From => Live?.From ?? _ended!.From;

    /// <summary>The called URI (the INVITE's To); empty when not known.</summary>
    public string To => Live?.To ?? _ended!.To;

    /// <summary>When the gateway answered the call; null when not known.</summary>
    public DateTimeOffset? Started => Live?.AnsweredAt ?? _ended!.Started;

    /// <summary>When the call was torn down; null while it is live.</summary>
    public DateTimeOffset? Ended => _ended?.Ended;

    /// <summary><see cref="InProgress"/> or <see cref="Completed"/>.</summary>
    public string Status => Live is not null ? InProgress : Completed;

    /// <summary>A live call.</summary>
    public static RestCall For(GatewayCall call) => new(call.CallSid, call.AccountSid, call, null);

    /// <summary>An ended call still kept.</summary>
    public static RestCall For(EndedCall call) => new(call.CallSid, call.AccountSid, null, call);

    /// <summary>The session with this SID, else the latest one with this name; null when none.</summary>
    public RecordingResource? Find(string sidOrName) => Live is not null ? Live.Controller.Resources.Find(sidOrName) : _ended!.Find(sidOrName);
}
