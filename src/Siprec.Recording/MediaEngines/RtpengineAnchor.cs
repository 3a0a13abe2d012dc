using System.Net;
using Siprec.Media.Rtpengine;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// A call whose media is anchored at one rtpengine instance (ng <c>offer</c> with the caller's SDP, <c>answer</c> with the
/// bot's): the caller and the bot send to rtpengine, which relays between them, and each recorder subscribes to the two
/// participants (<c>subscribe request</c> with <c>from-tags</c>) instead of the SRC publishing the legs
/// (docs/CONTRACTS.md, rtpengine).
/// </summary>
/// <param name="Instance">The instance holding the call's media.</param>
/// <param name="CallId">The ng <c>call-id</c>: the call's SIP Call-ID.</param>
/// <param name="CallerTag">The ng tag of the caller's participant: the INVITE's From tag.</param>
/// <param name="BotTag">The ng tag of the bot's participant: the gateway's To tag.</param>
/// <param name="BotRemote">Where the bot sends its RTP (rtpengine's port facing the bot).</param>
/// <param name="CallerSdp">The SDP the gateway answers the caller with (rtpengine's ports facing the caller).</param>
/// <param name="BotSdp">The bot's own SDP as given to rtpengine's <c>answer</c> (repeated when the caller offers again).</param>
public sealed record RtpengineAnchor(RtpengineInstance Instance, string CallId, string CallerTag, string BotTag, IPEndPoint BotRemote, string CallerSdp, string BotSdp)
{
    /// <summary>The ng tag of <paramref name="party"/>'s participant.</summary>
    public string TagOf(CallParty party) => party == CallParty.Caller ? CallerTag : BotTag;
}
