namespace Siprec.Control;

/// <summary>
/// The jambonz/Cognigy wire names of <see cref="RecordingAction"/> (<c>X-Reason</c> values and node activities),
/// kept in one place so the INFO, the verb and the node never disagree; DESIGN §4.1.
/// </summary>
public static class RecordingActionNames
{
    /// <summary>Wire name of <see cref="RecordingAction.Start"/>.</summary>
    public const string Start = "startCallRecording";

    /// <summary>Wire name of <see cref="RecordingAction.Stop"/>.</summary>
    public const string Stop = "stopCallRecording";

    /// <summary>Wire name of <see cref="RecordingAction.Pause"/>.</summary>
    public const string Pause = "pauseCallRecording";

    /// <summary>Wire name of <see cref="RecordingAction.Resume"/>.</summary>
    public const string Resume = "resumeCallRecording";

    /// <summary>All four names in action order, for error texts that list the accepted values.</summary>
    public static IReadOnlyList<string> All { get; } = [Start, Stop, Pause, Resume];

    /// <summary>The wire name of an action.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="RecordingAction"/> (a programming error).</exception>
    public static string ToName(RecordingAction action) => action switch
    {
        RecordingAction.Start => Start,
        RecordingAction.Stop => Stop,
        RecordingAction.Pause => Pause,
        RecordingAction.Resume => Resume,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a recording action"),
    };

    /// <summary>
    /// Reads a wire name. Matching is exact (case-sensitive) like jambonz, after trimming surrounding
    /// whitespace; never throws.
    /// </summary>
    public static bool TryParse(string? name, out RecordingAction action)
    {
        switch (name?.Trim())
        {
            case Start: action = RecordingAction.Start; return true;
            case Stop: action = RecordingAction.Stop; return true;
            case Pause: action = RecordingAction.Pause; return true;
            case Resume: action = RecordingAction.Resume; return true;
            default: action = default; return false;
        }
    }
}
