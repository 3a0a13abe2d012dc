using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Sdp;

namespace Siprec.Recording;

/// <summary>Source-generated log messages of the SRC; event IDs 7000-7099.</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Information, "SRC SIP endpoint listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(7001, LogLevel.Information, "Sending recording INVITE to {SrsUri} (Call-ID {CallId}) at {Destination}")]
    public static partial void SendingInvite(ILogger logger, string srsUri, string callId, string destination);

    [LoggerMessage(7002, LogLevel.Information, "Recording INVITE to {SrsUri}: {Kind} {Detail}")]
    public static partial void InviteOutcome(ILogger logger, string srsUri, SrsOutcomeKind kind, string detail);

    [LoggerMessage(7003, LogLevel.Error, "Recording INVITE to {SrsUri} failed unexpectedly")]
    public static partial void InviteFailed(ILogger logger, string srsUri, Exception exception);

    [LoggerMessage(7004, LogLevel.Warning, "SRS {SrsUri} accepted without a usable SDP answer: {Error}; ending the dialog")]
    public static partial void UnusableAnswer(ILogger logger, string srsUri, string error);

    [LoggerMessage(7005, LogLevel.Information, "SRS {SrsUri} accepted after the recording gave up on it (Call-ID {CallId}); sending BYE")]
    public static partial void LateAcceptEnded(ILogger logger, string srsUri, string callId);

    [LoggerMessage(7006, LogLevel.Warning, "Cannot resolve the remote target {Target} of {SrsUri}: {Error}; using the INVITE destination")]
    public static partial void TargetUnresolved(ILogger logger, string srsUri, string target, string error);

    [LoggerMessage(7007, LogLevel.Warning, "Releasing the media sockets of {SrsUri} failed")]
    public static partial void DisposeFailed(ILogger logger, string srsUri, Exception exception);

    [LoggerMessage(7008, LogLevel.Information, "Sending re-INVITE ({Direction}) to {SrsUri} (Call-ID {CallId})")]
    public static partial void SendingReinvite(ILogger logger, string srsUri, string callId, SdpDirection direction);

    [LoggerMessage(7009, LogLevel.Information, "Sending BYE to {SrsUri} (Call-ID {CallId})")]
    public static partial void SendingBye(ILogger logger, string srsUri, string callId);

    [LoggerMessage(7010, LogLevel.Warning, "BYE to {SrsUri} failed")]
    public static partial void ByeFailed(ILogger logger, string srsUri, Exception exception);

    [LoggerMessage(7011, LogLevel.Debug, "Re-sending ACK to {SrsUri} (Call-ID {CallId}, CSeq {Sequence}) for a retransmitted 2xx")]
    public static partial void ReAck(ILogger logger, string srsUri, string callId, uint sequence);

    [LoggerMessage(7012, LogLevel.Warning, "Recorder {SrsUri} (Call-ID {CallId}) ended by the SRS: {Reason}")]
    public static partial void RemoteEnded(ILogger logger, string srsUri, string callId, string reason);

    [LoggerMessage(7013, LogLevel.Information, "{Method} from {Remote} for no known recording dialog (Call-ID {CallId}); answering {StatusCode}")]
    public static partial void UnknownDialog(ILogger logger, string method, IPEndPoint remote, string callId, int statusCode);

    [LoggerMessage(7014, LogLevel.Error, "Handling {Method} from {Remote} failed; answering 500")]
    public static partial void RequestFailed(ILogger logger, string method, IPEndPoint remote, Exception exception);

    [LoggerMessage(7015, LogLevel.Information, "Recording of call {CallId}: {Kind} (SRS {SrsUri}): {Reason}")]
    public static partial void RecorderEvent(ILogger logger, string callId, RecordingEventKind kind, string srsUri, string reason);

    [LoggerMessage(7030, LogLevel.Information, "Recording of call {CallId}: {Kind}: {Reason}")]
    public static partial void RecordingEvent(ILogger logger, string callId, RecordingEventKind kind, string reason);

    [LoggerMessage(7040, LogLevel.Debug, "Keep-alive OPTIONS to {SrsUri} (Call-ID {CallId}) answered {StatusCode}: the SRS is alive")]
    public static partial void PingAnswered(ILogger logger, string srsUri, string callId, int statusCode);

    [LoggerMessage(7041, LogLevel.Warning, "Keep-alive OPTIONS to {SrsUri} (Call-ID {CallId}) failed: {Detail}")]
    public static partial void PingFailed(ILogger logger, string srsUri, string callId, string detail);

    [LoggerMessage(7016, LogLevel.Error, "A RecordingEvent handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(7017, LogLevel.Debug, "Session refresh of {SrsUri} (Call-ID {CallId}): {Detail}")]
    public static partial void SessionRefreshed(ILogger logger, string srsUri, string callId, string detail);

    [LoggerMessage(7018, LogLevel.Information, "SRS {SrsUri} answered 422: retrying with Session-Expires {Seconds} s (RFC 4028 §7.4)")]
    public static partial void SessionIntervalRaised(ILogger logger, string srsUri, long seconds);

    [LoggerMessage(7019, LogLevel.Information, "Sending metadata UPDATE to {SrsUri} (Call-ID {CallId})")]
    public static partial void SendingMetadataUpdate(ILogger logger, string srsUri, string callId);

    [LoggerMessage(7020, LogLevel.Information, "{What} to {SrsUri} (Call-ID {CallId}) answered {Answer}: retrying in {Milliseconds} ms ({Rule})")]
    public static partial void RetryingInDialog(ILogger logger, string what, string srsUri, string callId, string answer, double milliseconds, string rule);

    [LoggerMessage(7021, LogLevel.Information, "Snapshot requested by {SrsUri} (Call-ID {CallId}) in {Method}: {Detail}")]
    public static partial void SnapshotSent(ILogger logger, string srsUri, string callId, string method, string detail);

    [LoggerMessage(7023, LogLevel.Warning, "SRS {SrsUri} unreachable at {Target}: {Error}; trying the next target (RFC 3263 §4.3)")]
    public static partial void TargetFailed(ILogger logger, string srsUri, string target, string error);

    [LoggerMessage(7024, LogLevel.Warning, "Cannot answer the digest challenge of {SrsUri} to {Method}: {Error}")]
    public static partial void AuthenticationFailed(ILogger logger, string srsUri, string method, string error);

    [LoggerMessage(7060, LogLevel.Warning, "Recording of call {CallId}: recorder {SrsUri} failed; failing over to {Standby}")]
    public static partial void FailingOver(ILogger logger, string callId, string srsUri, string standby);

    [LoggerMessage(7061, LogLevel.Information, "Recording of call {CallId}: {Standby} records in place of {SrsUri}; {GapMs} ms of audio not delivered ({Gap})")]
    public static partial void FailedOver(ILogger logger, string callId, string srsUri, string standby, long gapMs, string gap);

    [LoggerMessage(7062, LogLevel.Error, "Recording of call {CallId}: no standby accepted in place of {SrsUri}: {Tried}")]
    public static partial void FailoverExhausted(ILogger logger, string callId, string srsUri, string tried);

    [LoggerMessage(7063, LogLevel.Error, "Recording of call {CallId}: the failover of {SrsUri} failed unexpectedly")]
    public static partial void FailoverFailed(ILogger logger, string callId, string srsUri, Exception exception);

    [LoggerMessage(7031, LogLevel.Warning, "SRS {SrsUri} target {Target} silent for {Milliseconds} ms; trying {Next} (RFC 3263 §4.3, its turn of the no-answer window)")]
    public static partial void TargetSilent(ILogger logger, string srsUri, string target, long milliseconds, string next);

    [LoggerMessage(7090, LogLevel.Warning, "Session refresh of recorder {SrsUri} (Call-ID {CallId}) failed: {Detail}; the recorder stays until its session expires or a later refresh succeeds")]
    public static partial void SessionRefreshFailed(ILogger logger, string srsUri, string callId, string detail);

    [LoggerMessage(7091, LogLevel.Error, "Media engine failed for recorder {SrsUri} (Call-ID {CallId}): {Detail}")]
    public static partial void MediaEngineFailed(ILogger logger, string srsUri, string callId, string detail);

    [LoggerMessage(7092, LogLevel.Error, "Media engine lost the media of call {CallId}: {Detail}; its recorders fail with media-engine-failed")]
    public static partial void MediaEngineCallFailed(ILogger logger, string callId, string detail);

    [LoggerMessage(7093, LogLevel.Warning, "Media engine command '{Command}' for {CallId} failed: {Detail}")]
    public static partial void MediaEngineCommandFailed(ILogger logger, string callId, string command, string detail);

    [LoggerMessage(7094, LogLevel.Warning, "rtpengine 'query' for call {CallId} (ng call-id {NgCallId}) failed: {Detail}; its packet counters keep their last values, the recording goes on (logged once per recording; siprec.media.rtpengine.query.failed counts every failure)")]
    public static partial void MediaEngineQueryFailed(ILogger logger, string callId, string ngCallId, string detail);

    [LoggerMessage(7095, LogLevel.Error, "Media of call {CallId} anchored at rtpengine {Instance} is lost: {Detail}; the caller and the bot no longer reach each other through it, and its recordings fail with media-engine-failed")]
    public static partial void MediaEngineAnchorLost(ILogger logger, string callId, string instance, string detail);
}
