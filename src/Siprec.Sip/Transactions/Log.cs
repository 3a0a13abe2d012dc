using System.Net;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Transactions;

/// <summary>Transaction-layer log events (ids 1100-1199).</summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Dropped unparseable {Kind} from {Remote}: {Reason} {Detail}")]
    public static partial void ParseFailed(ILogger logger, string kind, IPEndPoint remote, string reason, string detail);

    [LoggerMessage(1101, LogLevel.Information, "Answered unparseable request from {Remote} with {StatusCode}: {Detail}")]
    public static partial void ParseFailedAnswered(ILogger logger, IPEndPoint remote, int statusCode, string detail);

    [LoggerMessage(1102, LogLevel.Debug, "Response {StatusCode} {Method} from {Remote} matches no transaction; dropped")]
    public static partial void UnmatchedResponse(ILogger logger, int statusCode, string method, IPEndPoint remote);

    [LoggerMessage(1103, LogLevel.Error, "Transaction user failed on {Method} {CallId}; answering 500 if still possible")]
    public static partial void UserFailed(ILogger logger, string method, string callId, Exception exception);

    [LoggerMessage(1104, LogLevel.Warning, "Send to {Remote} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint remote, string error);

    [LoggerMessage(1105, LogLevel.Information, "{Method} transaction {Branch} timed out ({Timer})")]
    public static partial void TimedOut(ILogger logger, string method, string branch, string timer);

    [LoggerMessage(1106, LogLevel.Debug, "Ignoring a response after the final one on {Method} transaction {Branch}")]
    public static partial void LateResponse(ILogger logger, string method, string branch);

    [LoggerMessage(1107, LogLevel.Warning, "Callback {Callback} of the transaction user threw")]
    public static partial void CallbackFailed(ILogger logger, string callback, Exception exception);

    [LoggerMessage(1108, LogLevel.Debug, "{Method} from {Remote} arrived while the layer is stopped; dropped")]
    public static partial void Stopped(ILogger logger, string method, IPEndPoint remote);

    [LoggerMessage(1109, LogLevel.Information, "Rejected {Method} from {Remote} with {StatusCode}: {Warning}")]
    public static partial void Rejected(ILogger logger, string method, IPEndPoint remote, int statusCode, string warning);

    [LoggerMessage(1110, LogLevel.Information, "{Method} to {Target} failed ({Error}); trying {Next}")]
    public static partial void FailingOver(ILogger logger, string method, string target, string error, string next);

    [LoggerMessage(1111, LogLevel.Information, "{Method} {CallId} is {Bytes} bytes, above the UDP limit of {Limit}: sending it over TCP to {Target} (RFC 3261 §18.1.1)")]
    public static partial void OversizedToTcp(ILogger logger, string method, string callId, int bytes, int limit, string target);

    [LoggerMessage(1112, LogLevel.Warning, "{Method} {CallId} ({Bytes} bytes) could not go over TCP to {Target} ({Error}); sending it over UDP, where it may be fragmented and dropped")]
    public static partial void OversizedTcpFailed(ILogger logger, string method, string callId, int bytes, string target, string error);

    [LoggerMessage(1113, LogLevel.Warning, "{Method} {CallId} is {Bytes} bytes, above the UDP limit of {Limit}, but goes over UDP to {Target}: {Why}; it may be fragmented and dropped on the way")]
    public static partial void OversizedOverUdp(ILogger logger, string method, string callId, int bytes, int limit, string target, string why);
}
