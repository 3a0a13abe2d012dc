using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Siprec.Sip.Messages;

namespace Siprec.Testing.Srs;

/// <summary>Checks an Authorization or Proxy-Authorization header the way a registrar would (RFC 2617 §3.2.2, MD5, qop=auth).</summary>
public static class DigestCheck
{
    /// <summary>
    /// True when <paramref name="request"/> carries a Digest header <paramref name="headerName"/> for <paramref name="account"/> and
    /// <paramref name="nonce"/> whose response is the RFC 2617 §3.2.2.1 MD5 digest with qop=auth; false for a missing,
    /// non-Digest or wrong header (never throws on what the SRC sent).
    /// </summary>
    /// <param name="request">The request as received.</param>
    /// <param name="account">The expected user, password and realm.</param>
    /// <param name="nonce">The nonce the challenge carried.</param>
    /// <param name="headerName"><c>Authorization</c> (the answer to a 401), or <c>Proxy-Authorization</c> (to a 407, RFC 3261 §22.3).</param>
    public static bool IsValid(SipRequest request, (string User, string Password, string Realm) account, string nonce, string headerName = "Authorization")
    {
        if (request.GetHeader(headerName) is not { } header || !header.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
            return false;
        var p = Regex.Matches(header[7..], "(\\w+)=(\"([^\"]*)\"|[^,\\s]+)")
            .ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[3].Success ? m.Groups[3].Value : m.Groups[2].Value);
        if (p.GetValueOrDefault("username") != account.User || p.GetValueOrDefault("realm") != account.Realm || p.GetValueOrDefault("nonce") != nonce)
            return false;
        var ha1 = Md5($"{account.User}:{account.Realm}:{account.Password}");
        var ha2 = Md5($"{request.Method}:{p.GetValueOrDefault("uri")}");
        var expected = Md5($"{ha1}:{nonce}:{p.GetValueOrDefault("nc")}:{p.GetValueOrDefault("cnonce")}:{p.GetValueOrDefault("qop")}:{ha2}");
        return p.GetValueOrDefault("qop") == "auth" && p.GetValueOrDefault("response") == expected;
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
