using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Transport;

namespace Siprec.Recorder;

/// <summary>Source-generated log messages of the recording server (event ids 7000-7099).</summary>
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Information, "SRS listening on {Listener}, recordings in {OutputDirectory}")]
    public static partial void Listening(ILogger logger, SipListenEndPoint listener, string outputDirectory);

    [LoggerMessage(7001, LogLevel.Information, "Recording session {SessionId} started for Call-ID {CallId} from {Source}: {StreamCount} stream(s), paused={Paused}")]
    public static partial void SessionStarted(ILogger logger, string sessionId, string callId, IPEndPoint source, int streamCount, bool paused);

    [LoggerMessage(7002, LogLevel.Warning, "Rejected INVITE {CallId} from {Source} with {StatusCode}: {Reason}")]
    public static partial void InviteRejected(ILogger logger, string callId, IPEndPoint source, int statusCode, string reason);

    [LoggerMessage(7003, LogLevel.Information, "INVITE {CallId} from {Source} has no 'Require: siprec'; accepted anyway (RFC 7866 §6.1.1 says the SRC must send it)")]
    public static partial void MissingRequireSiprec(ILogger logger, string callId, IPEndPoint source);

    [LoggerMessage(7004, LogLevel.Information, "INVITE {CallId} from {Source} has no '+sip.src' Contact feature tag; accepted anyway")]
    public static partial void MissingSrcFeatureTag(ILogger logger, string callId, IPEndPoint source);

    [LoggerMessage(7005, LogLevel.Warning, "Recording session {SessionId}: metadata error, media is recorded anyway: {Error}")]
    public static partial void MetadataError(ILogger logger, string sessionId, string error);

    [LoggerMessage(7006, LogLevel.Information, "Recording session {SessionId} paused at {Seconds:F3} s")]
    public static partial void Paused(ILogger logger, string sessionId, double seconds);

    [LoggerMessage(7007, LogLevel.Information, "Recording session {SessionId} resumed at {Seconds:F3} s")]
    public static partial void Resumed(ILogger logger, string sessionId, double seconds);

    [LoggerMessage(7008, LogLevel.Information, "Recording session {SessionId} completed ({Reason}): {DurationSeconds:F2} s written to {WavPath}")]
    public static partial void SessionCompleted(ILogger logger, string sessionId, string reason, double durationSeconds, string wavPath);

    [LoggerMessage(7009, LogLevel.Warning, "Request {Method} {CallId} matches no recording session; answered 481")]
    public static partial void UnknownDialog(ILogger logger, string method, string callId);

    [LoggerMessage(7010, LogLevel.Error, "Handling {Method} {CallId} failed; answered 500")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string callId);

    [LoggerMessage(7011, LogLevel.Warning, "Recording session {SessionId}: writing the recording failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(7012, LogLevel.Warning, "Recording session {SessionId}: BYE to {Destination} not confirmed: {Detail}")]
    public static partial void ByeFailed(ILogger logger, string sessionId, string destination, string detail);

    [LoggerMessage(7013, LogLevel.Warning, "Re-INVITE for recording session {SessionId} rejected with 488: {Reason}")]
    public static partial void ReinviteRejected(ILogger logger, string sessionId, string reason);

    [LoggerMessage(7015, LogLevel.Warning, "Recording session {SessionId} ended by the SRS with BYE: {Reason}")]
    public static partial void SessionEndedBySrs(ILogger logger, string sessionId, string reason);

    [LoggerMessage(7014, LogLevel.Information, "SRS stopped; {SessionCount} open session(s) finalized")]
    public static partial void Stopped(ILogger logger, int sessionCount);

    [LoggerMessage(7016, LogLevel.Information, "INVITE {CallId} from {Source} was cancelled by the SRC before its recording session was built; nothing recorded")]
    public static partial void InviteCancelledBeforeSession(ILogger logger, string callId, IPEndPoint source);

    [LoggerMessage(7017, LogLevel.Information, "Recording session {SessionId} for Call-ID {CallId} from {Source} was cancelled by the SRC while it was being built; finalized without a 200 OK")]
    public static partial void SessionCancelledWhileStarting(ILogger logger, string sessionId, string callId, IPEndPoint source);

    [LoggerMessage(7070, LogLevel.Error, "Recording session {SessionId}: writing {Path} failed ({Error}); the recording stops here and the SRC gets BYE with Reason: {Reason}")]
    public static partial void StorageFailed(ILogger logger, string sessionId, string path, string error, string reason);

    [LoggerMessage(7071, LogLevel.Warning, "Recording {SessionId} was left open by a recorder that stopped without finishing it; finalized: {DurationSeconds:F2} s in {WavPath}")]
    public static partial void OrphanFinalized(ILogger logger, string sessionId, double durationSeconds, string wavPath);

    [LoggerMessage(7072, LogLevel.Warning, "Recording {JsonPath} was left open and could not be finalized: {Error}")]
    public static partial void OrphanNotFinalized(ILogger logger, string jsonPath, string error);

    [LoggerMessage(7090, LogLevel.Error, "RTCP receiver report of recording session {SessionId} failed; reports continue")]
    public static partial void RtcpReportFailed(ILogger logger, Exception exception, string sessionId);
}
