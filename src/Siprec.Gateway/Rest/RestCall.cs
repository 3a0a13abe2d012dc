using Siprec.Gateway.Calls;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest;

/// <summary>
/// The call a REST request names (DESIGN §4.4): live, whose controller carries requests out, or ended and still kept,
/// whose sessions are read-only and stopped.
/// </summary>
internal sealed class RestCall
{
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

    /// <summary>A live call.</summary>
    public static RestCall For(GatewayCall call) => new(call.CallSid, call.AccountSid, call, null);

    /// <summary>An ended call still kept.</summary>
    public static RestCall For(EndedCall call) => new(call.CallSid, call.AccountSid, null, call);

    /// <summary>The session with this SID, else the latest one with this name; null when none.</summary>
    public RecordingResource? Find(string sidOrName) => Live is not null ? Live.Controller.Resources.Find(sidOrName) : _ended!.Find(sidOrName);
}
