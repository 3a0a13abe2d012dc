namespace Siprec.Control;

/// <summary>
/// The <c>status</c> values of a REST SIPREC session (DESIGN §4.4) and the update the <c>Status</c> form field asks
/// for: <c>stopped</c> (Twilio) and, beyond Twilio, <c>paused</c> and <c>in-progress</c> (resume).
/// </summary>
public static class RestRecordingStatus
{
    /// <summary>Recording.</summary>
    public const string InProgress = "in-progress";

    /// <summary>Paused.</summary>
    public const string Paused = "paused";

    /// <summary>Stopped (by request, by call end, or because it failed; then <c>error_code</c> is set).</summary>
    public const string Stopped = "stopped";

    /// <summary>
    /// Reads the <c>Status</c> field of an update: <c>stopped</c> → stop, <c>paused</c> → pause, <c>in-progress</c> → resume.
    /// Never throws; a missing or other value is a 400 naming the field and the value.
    /// </summary>
    public static bool TryParseUpdate(string? status, out RecordingAction action, out RecordingControlError? error)
    {
        error = null;
        switch (status?.Trim())
        {
            case Stopped: action = RecordingAction.Stop; return true;
            case Paused: action = RecordingAction.Pause; return true;
            case InProgress: action = RecordingAction.Resume; return true;
            case null or "":
                action = default;
                error = new RecordingControlError(400, RecordingErrorTexts.MissingField("Status")) { Field = "Status" };
                return false;
            default:
                action = default;
                error = new RecordingControlError(400, RecordingErrorTexts.InvalidField("Status", status, "stopped, paused or in-progress")) { Field = "Status" };
                return false;
        }
    }
}
