using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Calls;

/// <summary>
/// A torn-down call as the REST API (DESIGN §4.4) still shows it for a while: its SIPREC sessions in their final
/// state, read-only. Made by <see cref="EndedCallRetention.Retain"/>.
/// </summary>
/// <param name="CallSid">The call's SID.</param>
/// <param name="AccountSid">The account the call belonged to.</param>
/// <param name="Sessions">Every session of the call, oldest first, each stopped.</param>
/// <param name="Ended">When the call was torn down.</param>
internal sealed record EndedCall(string CallSid, string AccountSid, IReadOnlyList<RecordingResource> Sessions, DateTimeOffset Ended)
{
    /// <summary>The caller's address (the INVITE's From URI); empty when not kept.</summary>
    public string From { get; init; } = "";

    /// <summary>The called address (the INVITE's To URI); empty when not kept.</summary>
    public string To { get; init; } = "";

    /// <summary>When the gateway answered the call; null when not kept.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>The session with this SID, else the latest one with this name; null when none.</summary>
    public RecordingResource? Find(string sidOrName) => RecordingResources.Find(Sessions, sidOrName);
}
