namespace Siprec.Gateway.Twiml;

/// <summary><c>&lt;Hangup/&gt;</c>: the bot ends the call (BYE).</summary>
/// <param name="Line">The element's line.</param>
internal sealed record HangupVerb(int Line) : TwimlVerb(Line);
