namespace Siprec.Recording;

/// <summary>The state of one call's recording.</summary>
public enum RecordingState
{
    /// <summary>Nothing is recording and nothing is being started (also after a start that timed out).</summary>
    Idle,

    /// <summary>INVITEs are out; no SRS has accepted yet.</summary>
    Starting,

    /// <summary>At least one SRS accepted; media is forwarded.</summary>
    Recording,

    /// <summary>Media forwarding is paused; the dialogs say <c>a=inactive</c>.</summary>
    Paused,

    /// <summary>Stopped on request; every dialog was ended by the SRC.</summary>
    Stopped,

    /// <summary>Every SRS rejected the start, or every recorder ended on its own (e.g. SRS BYE).</summary>
    Failed,
}
