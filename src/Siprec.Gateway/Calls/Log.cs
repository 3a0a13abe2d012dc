using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.Calls;

/// <summary>Log lines of the call leg (event ids 1100–1199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "call {CallSid} answered (Call-ID {CallId}); caller RTP {RemoteRtp}, ours {LocalRtp}")]
    public static partial void CallAnswered(ILogger logger, string callSid, string callId, string remoteRtp, string localRtp);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "call {CallSid} is up (flow: {HasFlow})")]
    public static partial void CallUp(ILogger logger, string callSid, bool hasFlow);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "call {CallSid}: no ACK for our 2xx within 64*T1; hanging up (RFC 3261 §13.3.1.4)")]
    public static partial void NoAck(ILogger logger, string callSid);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "call {CallSid}: caller hung up")]
    public static partial void RemoteBye(ILogger logger, string callSid);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "call {CallSid}: BYE to {Destination} answered {StatusCode} ({Outcome})")]
    public static partial void ByeSent(ILogger logger, string callSid, string destination, int statusCode, string outcome);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "call {CallSid} ended ({Reason}); RTP from caller {CallerPackets}, to caller {BotPackets}")]
    public static partial void CallEnded(ILogger logger, string callSid, string reason, long callerPackets, long botPackets);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "call {CallSid}: flow finished")]
    public static partial void FlowFinished(ILogger logger, string callSid);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "call {CallSid}: flow cancelled by call end")]
    public static partial void FlowCancelled(ILogger logger, string callSid);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Error, Message = "call {CallSid}: flow failed")]
    public static partial void FlowFailed(ILogger logger, Exception exception, string callSid);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "call {CallSid}: flow did not stop within the teardown grace period; cancelling it")]
    public static partial void FlowDidNotStop(ILogger logger, string callSid);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "{Method} from untrusted source {Remote} refused with 403")]
    public static partial void UntrustedSource(ILogger logger, string method, string remote);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Information, Message = "{Method} for unknown dialog (Call-ID {CallId}) from {Remote} answered 481")]
    public static partial void UnknownDialog(ILogger logger, string method, string callId, string remote);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Error, Message = "{Method} handling failed; answering 500 if still unanswered")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 1123, Level = LogLevel.Debug, Message = "stray response (Call-ID {CallId}) from {Remote} ignored")]
    public static partial void StrayResponse(ILogger logger, string callId, string remote);

    [LoggerMessage(EventId = 1124, Level = LogLevel.Warning, Message = "INVITE (Call-ID {CallId}) refused with 488: {Detail}")]
    public static partial void OfferRefused(ILogger logger, string callId, string detail);

    [LoggerMessage(EventId = 1125, Level = LogLevel.Error, Message = "no RTP port free on {Address}: {Detail}; INVITE (Call-ID {CallId}) answered 503 with Retry-After")]
    public static partial void MediaUnavailable(ILogger logger, Exception exception, string address, string detail, string callId);

    [LoggerMessage(EventId = 1127, Level = LogLevel.Warning, Message = "media of call (Call-ID {CallId}) not anchored at rtpengine: {Detail}; the call's media stays at the gateway and its recordings publish the legs to rtpengine")]
    public static partial void AnchorFailed(ILogger logger, string callId, string detail);

    [LoggerMessage(EventId = 1128, Level = LogLevel.Warning, Message = "call {CallSid}: the caller's new offer could not pass through rtpengine: {Detail}; answered with the media as it was")]
    public static partial void ReofferFailed(ILogger logger, string callSid, string detail);

    [LoggerMessage(EventId = 1126, Level = LogLevel.Debug, Message = "{Method} (Call-ID {CallId}) from {Remote} answered 503: the gateway is draining")]
    public static partial void RefusedWhileDraining(ILogger logger, string method, string callId, string remote);
}
