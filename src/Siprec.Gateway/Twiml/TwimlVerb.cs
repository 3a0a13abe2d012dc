namespace Siprec.Gateway.Twiml;

/// <summary>One instruction of a TwiML/TeXML document, with the line it was written on (for log lines and errors).</summary>
/// <param name="Line">1-based line of the element in its document.</param>
internal abstract record TwimlVerb(int Line);
