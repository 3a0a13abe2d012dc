namespace Siprec.Gateway.Twiml;

/// <summary>Whose markup a voice application speaks: it decides the attributes <c>&lt;Siprec&gt;</c> takes and whether its start holds the document.</summary>
public enum TwimlDialect
{
    /// <summary>
    /// Twilio TwiML: <c>&lt;Start&gt;&lt;Siprec&gt;</c> starts the session and the next verb runs at once (Twilio's
    /// documented asynchronous start); the Telnyx-only attributes are refused.
    /// </summary>
    Twilio,

    /// <summary>
    /// Telnyx TeXML: <c>&lt;Start&gt;&lt;Siprec&gt;</c> takes Telnyx's additions (<c>includeMetadataCustomHeaders</c>, <c>secure</c>,
    /// <c>sessionTimeoutSecs</c>, <c>sipTransport</c>) and is synchronous: the next instruction runs only once that session has
    /// stopped (by REST, by its recorders failing, or by the call ending).
    /// </summary>
    Telnyx,
}
