using Microsoft.Extensions.Logging;

namespace Siprec.Recording;

/// <summary>
/// Makes and reports the <see cref="RecordingEvent"/>s of one <see cref="RecordingSession"/> (a recorder's or the whole
/// recording's status, RFC 7866 §6.1 recording sessions): stamps the time and Call-ID, logs each one, and shields the
/// session from its handlers.
/// </summary>
internal sealed class RecordingEventRaiser
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _callId;

    /// <param name="time">The SRC's clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="callId">The recorded call's Call-ID, on every event and log line.</param>
    public RecordingEventRaiser(TimeProvider time, ILogger logger, string callId)
    {
        _time = time;
        _logger = logger;
        _callId = callId;
    }

    /// <summary>An event of now; <paramref name="srsUri"/> null for the whole recording.</summary>
    public RecordingEvent New(RecordingEventKind kind, string? srsUri, string? reason) =>
        new(kind, _time.GetUtcNow(), srsUri, reason) { CallId = _callId };

    /// <summary>Logs <paramref name="e"/> and hands it to <paramref name="handler"/>; a handler's exception is logged and swallowed.</summary>
    public void Raise(RecordingEvent e, Action<RecordingEvent>? handler)
    {
        if (e.SrsUri is { } srsUri)
            Log.RecorderEvent(_logger, _callId, e.Kind, srsUri, e.Reason ?? "no detail");
        else
            Log.RecordingEvent(_logger, _callId, e.Kind, e.Reason ?? "no detail");
        try
        {
            handler?.Invoke(e);
        }
        catch (Exception ex)
        {
            Log.EventHandlerFailed(_logger, ex);
        }
    }
}
