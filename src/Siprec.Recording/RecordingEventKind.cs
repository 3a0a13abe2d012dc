namespace Siprec.Recording;

/// <summary>What a <see cref="RecordingEvent"/> reports.</summary>
public enum RecordingEventKind
{
    /// <summary>A recorder accepted, or the recording started (first accept).</summary>
    Started,

    /// <summary>A recorder or the recording was stopped by the SRC.</summary>
    Stopped,

    /// <summary>Paused.</summary>
    Paused,

    /// <summary>Resumed.</summary>
    Resumed,

    /// <summary>A recorder ended against the SRC's will (rejection, SRS BYE, timeout), or the whole recording did.</summary>
    Failed,

    /// <summary>
    /// A standby's recording INVITE is out for a recorder that failed mid-call (<see cref="RecordingEvent.SrsUri"/> = the
    /// standby, <see cref="RecordingEvent.Replaces"/> = the failed one).
    /// </summary>
    FailingOver,

    /// <summary>
    /// A standby accepted and records in place of a failed recorder (<see cref="RecordingEvent.Replaces"/>), with the
    /// gap in <see cref="RecordingEvent.Gap"/>. It is the standby's start: no separate <see cref="Started"/> is raised.
    /// </summary>
    FailedOver,
}
