namespace Siprec.Gateway.Twiml;

/// <summary><c>&lt;Say voice language loop&gt;text&lt;/Say&gt;</c>, spoken with espeak-ng.</summary>
/// <param name="Line">The element's line.</param>
/// <param name="Text">What to say.</param>
/// <param name="Voice">Twilio's <c>voice</c> (<c>man</c>, <c>woman</c>, <c>alice</c>, a Polly name…); only the gender is kept; null for the default.</param>
/// <param name="Language">A BCP 47 tag such as <c>en-US</c>; null for English.</param>
/// <param name="Loop">Times to say it; 0 repeats until the call ends.</param>
internal sealed record SayVerb(int Line, string Text, string? Voice, string? Language, int Loop) : TwimlVerb(Line);
