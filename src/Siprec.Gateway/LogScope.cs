using Microsoft.Extensions.Logging;

namespace Siprec.Gateway;

/// <summary>The logging scope every per-call log line runs in, so operators can filter one call by its CallSid.</summary>
/// <remarks>
/// Code that logs for a call opens the call's scope itself, and is often called from code that already did (the
/// controller's operation calls the event reporter, which opens the call and recording scopes again): a text console then
/// printed <c>CallSid=… => SiprecSid=… => CallSid=… => SiprecSid=…</c>. A scope for the SID already open in this async
/// flow is therefore not opened again (null, which <c>using</c> accepts).
/// </remarks>
internal static class LogScope
{
    /// <summary>The scope's field name.</summary>
    public const string CallSidField = "CallSid";

    /// <summary>The recording SID's field name.</summary>
    public const string RecordingSidField = "SiprecSid";

    private static readonly AsyncLocal<string?> OpenCall = new();
    private static readonly AsyncLocal<string?> OpenRecording = new();

    /// <summary>
    /// Opens a scope carrying <paramref name="callSid"/> as the structured field <see cref="CallSidField"/>
    /// (a message template, so text consoles print <c>CallSid=CA…</c> too); dispose it to close. Null when this flow is
    /// already inside that call's scope.
    /// </summary>
    public static IDisposable? ForCall(ILogger logger, string callSid) =>
        Open(logger, OpenCall, callSid, "CallSid={CallSid}");

    /// <summary>
    /// Opens a scope carrying the SIPREC session's SID (<see cref="RecordingSidField"/>), nested in the call's scope. Null
    /// when this flow is already inside that recording's scope.
    /// </summary>
    public static IDisposable? ForRecording(ILogger logger, string recordingSid) =>
        Open(logger, OpenRecording, recordingSid, "SiprecSid={SiprecSid}");

    private static IDisposable? Open(ILogger logger, AsyncLocal<string?> open, string sid, string template)
    {
        if (open.Value == sid) return null;
        var scope = logger.BeginScope(template, sid);
        var previous = open.Value;
        open.Value = sid;
        return new Closing(scope, open, previous);
    }

    private sealed class Closing(IDisposable? scope, AsyncLocal<string?> open, string? previous) : IDisposable
    {
        public void Dispose()
        {
            open.Value = previous;
            scope?.Dispose();
        }
    }
}
