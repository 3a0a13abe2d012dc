namespace Siprec.Gateway.Twiml;

/// <summary><c>&lt;Play loop="n"&gt;source&lt;/Play&gt;</c>: a WAV file or URL, relative to the document.</summary>
/// <param name="Line">The element's line.</param>
/// <param name="Source">The text content as written.</param>
/// <param name="Loop">Times to play; 0 repeats until the call ends (as Twilio documents).</param>
internal sealed record PlayVerb(int Line, string Source, int Loop) : TwimlVerb(Line);
