using Microsoft.Extensions.Logging;

namespace Siprec.Gateway;

/// <summary>The logging scope every per-call log line runs in, so operators can filter one call by its CallSid.</summary>
internal static class LogScope
{
    /// <summary>The scope's field name.</summary>
    public const string CallSidField = "CallSid";

    /// <summary>
    /// Opens a scope carrying <paramref name="callSid"/> as the structured field <see cref="CallSidField"/>
    /// (a message template, so text consoles print <c>CallSid=CA…</c> too); dispose it to close.
    /// </summary>
    public static IDisposable? ForCall(ILogger logger, string callSid) =>
        logger.BeginScope("CallSid={CallSid}", callSid);

    /// <summary>The recording SID's field name.</summary>
    public const string RecordingSidField = "SiprecSid";

    /// <summary>Opens a scope carrying the SIPREC session's SID (<see cref="RecordingSidField"/>), nested in the call's scope.</summary>
    public static IDisposable? ForRecording(ILogger logger, string recordingSid) =>
        logger.BeginScope("SiprecSid={SiprecSid}", recordingSid);
}
