using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>A SIP request (RFC 3261 §7.1).</summary>
/// <param name="Method">The method token, case-sensitive (see <see cref="SipMethods"/>).</param>
/// <param name="RequestUri">The Request-URI.</param>
public sealed record SipRequest(string Method, SipUri RequestUri) : SipMessage
{
    private SipUri? _requestUri = RequestUri;
    private readonly ReadOnlyMemory<byte> _rawRequestUri;

    /// <summary>
    /// A parsed request whose Request-URI is still the bytes of the start line: the parser has checked them with
    /// <see cref="SipSyntax.IsSimpleSipUri(ReadOnlySpan{byte})"/>, so reading <see cref="RequestUri"/> later cannot fail.
    /// </summary>
    internal SipRequest(string method, ReadOnlyMemory<byte> rawRequestUri)
        : this(method, (SipUri)null!)
    {
        _rawRequestUri = rawRequestUri;
    }

    /// <summary>The Request-URI (RFC 3261 §8.1.1.1); read from the start line on first access when the request was parsed.</summary>
    public SipUri RequestUri
    {
        get => _requestUri ??= ParseRawRequestUri();
        init
        {
            _requestUri = value;
            _rawRequestUri = default;
        }
    }

    /// <summary>The Max-Forwards value as written (RFC 3261 §20.22), or null.</summary>
    public string? MaxForwards => GetHeader("Max-Forwards")?.Trim();

    private SipUri ParseRawRequestUri()
    {
        var text = Encoding.UTF8.GetString(_rawRequestUri.Span);
        // Unreachable unless the fast check and the reader disagree, which SipSyntaxTests rules out.
        return SipUri.TryParseSimple(text, out var uri) ? uri! : throw new InvalidOperationException($"Request-URI '{text}' passed the parser's check but does not read");
    }
}
