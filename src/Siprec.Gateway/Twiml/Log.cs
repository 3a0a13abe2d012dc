using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.Twiml;

/// <summary>Log lines of TwiML/TeXML applications (event ids 1500–1599); every line names the call.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "call {CallSid}: running {Dialect} application {Url}")]
    public static partial void ApplicationStarting(ILogger logger, string callSid, string dialect, string url);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "call {CallSid}: application document {Url} failed: {Error}; hanging up")]
    public static partial void DocumentFailed(ILogger logger, string callSid, string url, string error);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "call {CallSid}: <{Element}> on line {Line} of {Url} failed, going on with the next verb: {Error}")]
    public static partial void VerbFailed(ILogger logger, string callSid, string element, int line, string url, string error);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "call {CallSid}: <Start><Siprec> on line {Line} started SIPREC session {SiprecSid} (name '{Name}')")]
    public static partial void SiprecStarted(ILogger logger, string callSid, int line, string siprecSid, string name);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "call {CallSid}: <Start><Siprec> on line {Line} refused {StatusCode}: {Text}")]
    public static partial void SiprecStartRefused(ILogger logger, string callSid, int line, int statusCode, string text);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "call {CallSid}: <Stop><Siprec> on line {Line} stopped SIPREC session '{Target}'")]
    public static partial void SiprecStopped(ILogger logger, string callSid, int line, string target);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "call {CallSid}: <Stop><Siprec> on line {Line} for '{Target}' refused {StatusCode}: {Text}")]
    public static partial void SiprecStopRefused(ILogger logger, string callSid, int line, string target, int statusCode, string text);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "call {CallSid}: TeXML <Start><Siprec> holds the next instruction until SIPREC session {SiprecSid} stops")]
    public static partial void WaitingForSiprecStop(ILogger logger, string callSid, string siprecSid);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "call {CallSid}: SIPREC session {SiprecSid} stopped; TeXML goes on")]
    public static partial void SiprecStopWaitOver(ILogger logger, string callSid, string siprecSid);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Information, Message = "call {CallSid}: <Redirect> to {Method} {Url}")]
    public static partial void Redirecting(ILogger logger, string callSid, string method, string url);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Error, Message = "call {CallSid}: more than {MaxDocuments} application documents on one call (a redirect loop?); hanging up")]
    public static partial void TooManyDocuments(ILogger logger, string callSid, int maxDocuments);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "call {CallSid}: <Stop><Siprec> on line {Line} names no session and this application has none active; nothing to stop")]
    public static partial void NothingToStop(ILogger logger, string callSid, int line);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "call {CallSid}: application finished ({How})")]
    public static partial void ApplicationFinished(ILogger logger, string callSid, string how);
}
