namespace Siprec.Control;

/// <summary>
/// What a recording control request asks for. Every entry point (node INFO, jambonz verb, REST) maps onto
/// these four; DESIGN §4.1.
/// </summary>
public enum RecordingAction
{
    /// <summary>Open recording dialogs to the listed SRSs (<c>startCallRecording</c>).</summary>
    Start,

    /// <summary>End every recording dialog of the call (<c>stopCallRecording</c>).</summary>
    Stop,

    /// <summary>Stop sending media to the recorders while keeping their dialogs (<c>pauseCallRecording</c>).</summary>
    Pause,

    /// <summary>Send media to the recorders again after a pause (<c>resumeCallRecording</c>).</summary>
    Resume,
}
