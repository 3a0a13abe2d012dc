using Microsoft.Extensions.Logging;

namespace Siprec.Gateway.Callbacks;

/// <summary>Log lines of status callback delivery (event ids 1400–1499); CallSid and SiprecSid come from the scope.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "{Event} callback delivered to {Host} ({Detail}) on try {Attempt}")]
    public static partial void Delivered(ILogger logger, string @event, string host, string detail, int attempt);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "{Event} callback to {Host} failed on try {Attempt} of {MaxAttempts}: {Detail}")]
    public static partial void AttemptFailed(ILogger logger, string @event, string host, int attempt, int maxAttempts, string detail);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "{Event} callback to {Host} dropped after {Attempts} tries")]
    public static partial void GaveUp(ILogger logger, string @event, string host, int attempts);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "{Event} callback to {Host} dropped: {Capacity} callbacks already queued")]
    public static partial void QueueFull(ILogger logger, string @event, string host, int capacity);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "{Event} callback to {Host} failed unexpectedly")]
    public static partial void Failed(ILogger logger, System.Exception exception, string @event, string host);
}
