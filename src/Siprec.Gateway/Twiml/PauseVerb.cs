namespace Siprec.Gateway.Twiml;

/// <summary><c>&lt;Pause length="s"/&gt;</c>: silence (the bot's RTP keeps flowing) for a whole number of seconds, 1 by default.</summary>
/// <param name="Line">The element's line.</param>
/// <param name="Length">How long.</param>
internal sealed record PauseVerb(int Line, TimeSpan Length) : TwimlVerb(Line);
