namespace Siprec.Gateway.RecordingControl;

/// <summary>Which kind of entry point asked for a SIPREC session: it decides the rules the session lives by (DESIGN §2).</summary>
internal enum RecordingOrigin
{
    /// <summary>
    /// The Cognigy node, the INFO and the jambonz verb: one recording per call (DESIGN §4.2: a second start is the
    /// "duplicate" error) and stop, pause and resume address it without naming it.
    /// </summary>
    Info,

    /// <summary>REST and TwiML/TeXML: several sessions per call within the stream budget, each addressed by its SID or name.</summary>
    Api,
}
