namespace Siprec.Gateway.Twiml;

/// <summary>Why a document cannot run: the element and line at fault (0 when the XML itself is unreadable) and what is wrong.</summary>
/// <param name="Element">The element's name as written, e.g. <c>Play</c>; empty when none.</param>
/// <param name="Line">1-based line; 0 when unknown.</param>
/// <param name="Message">What is wrong, naming the attribute and value when one is at fault.</param>
internal readonly record struct TwimlError(string Element, int Line, string Message)
{
    /// <summary><c>&lt;Element&gt; on line N: message</c>, the text every log line and test reads.</summary>
    public override string ToString() =>
        string.IsNullOrEmpty(Element) ? (Line > 0 ? $"line {Line}: {Message}" : Message) : $"<{Element}> on line {Line}: {Message}";
}
