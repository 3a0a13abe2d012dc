namespace Siprec.Gateway.Twiml;

/// <summary><c>&lt;Redirect method&gt;url&lt;/Redirect&gt;</c>: the rest of this document is skipped and the next one fetched.</summary>
/// <param name="Line">The element's line.</param>
/// <param name="Target">The text content as written (absolute, or relative to the document).</param>
/// <param name="Method"><c>POST</c> (default) or <c>GET</c>.</param>
internal sealed record RedirectVerb(int Line, string Target, string Method) : TwimlVerb(Line);
