namespace Siprec.Gateway.Twiml;

/// <summary>
/// Where a call's TwiML/TeXML document comes from: a local file (<c>--twiml FILE</c>, a <c>file:</c> URI) or a voice URL
/// fetched with Twilio's call parameters, in the dialect the document is written in.
/// </summary>
/// <param name="Url">The document: an absolute <c>file:</c>, <c>http:</c> or <c>https:</c> URI.</param>
/// <param name="Method"><c>POST</c> (Twilio's and Telnyx's default) or <c>GET</c>; used for http(s) only.</param>
/// <param name="Dialect">TwiML or TeXML.</param>
public sealed record VoiceApplication(Uri Url, string Method, TwimlDialect Dialect)
{
    /// <summary>A local document.</summary>
    /// <param name="path">The file, relative to the current folder.</param>
    /// <param name="dialect">TwiML or TeXML.</param>
    public static VoiceApplication ForFile(string path, TwimlDialect dialect) => new(new Uri(Path.GetFullPath(path)), "POST", dialect);

    /// <summary>Checks the URI scheme and the method.</summary>
    /// <exception cref="ArgumentException">Not an absolute file/http/https URI, or a method other than GET or POST.</exception>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("file" or "http" or "https"))
            throw new ArgumentException($"voice application '{Url}' must be a file or an absolute http(s) URL");
        if (Method is not ("GET" or "POST"))
            throw new ArgumentException($"voice application method '{Method}' must be GET or POST");
    }
}
