using Microsoft.Extensions.Logging;

namespace Siprec.Gateway;

/// <summary>The logging scope every per-call log line runs in, so operators can filter one call by its CallSid.</summary>
internal static class LogScope
{
    /// <summary>The scope's field name.</summary>
    public const string CallSidField = "CallSid";

    /// <summary>Opens a scope carrying <paramref name="callSid"/>; dispose it to close.</summary>
    public static IDisposable? ForCall(ILogger logger, string callSid) =>
        logger.BeginScope(new Dictionary<string, object> { [CallSidField] = callSid });
}
