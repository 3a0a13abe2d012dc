namespace Siprec.Gateway.Twiml;

/// <summary>A parsed TwiML/TeXML <c>&lt;Response&gt;</c>: its verbs in order, where it came from and its dialect.</summary>
/// <param name="Url">Where it was read from (a <c>file:</c> or http(s) URI); relative sources and redirects resolve against it.</param>
/// <param name="Dialect">TwiML or TeXML.</param>
/// <param name="Verbs">The instructions in document order.</param>
internal sealed record TwimlDocument(Uri Url, TwimlDialect Dialect, IReadOnlyList<TwimlVerb> Verbs);
