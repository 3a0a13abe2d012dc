namespace Siprec.Gateway.Twiml;

/// <summary>
/// <c>&lt;Stop&gt;&lt;Siprec name="…"/&gt;&lt;/Stop&gt;</c>: stops the call's session with that name (or SID); without a name,
/// the latest session this application started that is still active.
/// </summary>
/// <param name="Line">The line of the <c>&lt;Siprec&gt;</c> element.</param>
/// <param name="Name">The session's name or SID; null for the latest this application started.</param>
internal sealed record StopSiprecVerb(int Line, string? Name) : TwimlVerb(Line);
