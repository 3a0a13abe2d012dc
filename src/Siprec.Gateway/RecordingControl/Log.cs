using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.RecordingControl;

/// <summary>Log lines of the recording control path (event ids 1200–1299); the CallSid comes from the logging scope.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "{Reason} answered {StatusCode}")]
    public static partial void RequestSucceeded(ILogger logger, string reason, int statusCode);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "{Reason} answered {StatusCode}: {Text}")]
    public static partial void RequestRefused(ILogger logger, string reason, int statusCode, string text);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "{Reason} answered {StatusCode} with a warning: {Text}")]
    public static partial void RequestSucceededWithWarning(ILogger logger, string reason, int statusCode, string text);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "INFO without X-Reason answered 200 (not a recording request)")]
    public static partial void PlainInfo(ILogger logger);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "{Reason} failed unexpectedly")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "recorder event {Kind} (SRS {SrsUri}): {EventReason}")]
    public static partial void RecorderEventRaised(ILogger logger, string kind, string srsUri, string eventReason);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Information, Message = "recording event {Kind}: {EventReason}")]
    public static partial void RecordingEventRaised(ILogger logger, string kind, string eventReason);

    [LoggerMessage(EventId = 1214, Level = LogLevel.Warning, Message = "recorder {SrsUri} failed ({FailureReason}, code {ErrorCode}): {Detail}")]
    public static partial void RecorderFailed(ILogger logger, string srsUri, string failureReason, int errorCode, string detail);

    [LoggerMessage(EventId = 1215, Level = LogLevel.Error, Message = "recording failed (code {ErrorCode}): {EventReason}")]
    public static partial void RecordingFailed(ILogger logger, int errorCode, string eventReason);

    [LoggerMessage(EventId = 1230, Level = LogLevel.Warning, Message = "recorder {SrsUri} failed; failing over to standby {StandbyUri}")]
    public static partial void FailingOver(ILogger logger, string srsUri, string standbyUri);

    [LoggerMessage(EventId = 1231, Level = LogLevel.Warning, Message = "recorder {SrsUri} failed over to {StandbyUri}: {GapMs} ms of audio not delivered ({GapStart} to {GapEnd})")]
    public static partial void FailedOver(ILogger logger, string srsUri, string standbyUri, long gapMs, string gapStart, string gapEnd);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "call ended while recording; stopping {Count} recorder(s)")]
    public static partial void StoppingForCallEnd(ILogger logger, int count);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "stopping the recording at call end failed")]
    public static partial void StopForCallEndFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1216, Level = LogLevel.Error,
        Message = "call {CallSid}: recording {SiprecSid} is required and unavailable ({When}: {Detail}); ending the call with BYE, Reason: SIP ;cause=503")]
    public static partial void EndingUnrecordableCall(ILogger logger, string callSid, string siprecSid, string when, string detail);

    [LoggerMessage(EventId = 1217, Level = LogLevel.Warning, Message = "recording request answered 504 at its bound: {Text}")]
    public static partial void OperationPending(ILogger logger, string text);
}
