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
}
