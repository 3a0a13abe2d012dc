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
}
