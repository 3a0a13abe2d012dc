using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Auth;

/// <summary>
/// Answers a 401/407 digest challenge (RFC 3261 §22.2-22.3, RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 8760): MD5,
/// MD5-sess, SHA-256 and SHA-256-sess, qop <c>auth</c>, <c>auth-int</c> or none. Never throws on challenge content.
/// </summary>
public static class DigestAuthenticator
{
    /// <summary>
    /// Builds the Authorization (for 401 WWW-Authenticate) or Proxy-Authorization (for 407 Proxy-Authenticate) header
    /// for <paramref name="request"/>. Of several challenges the strongest supported algorithm wins (SHA-256 before
    /// MD5, RFC 8760 §2.4); challenges of another realm than <see cref="DigestCredentials.Realm"/> are skipped.
    /// </summary>
    /// <param name="challenge">The 401 or 407 response.</param>
    /// <param name="request">The request to resend (its method, Request-URI and body are hashed).</param>
    /// <param name="credentials">User name and password.</param>
    /// <param name="nonceCount">How many times this nonce was used, counting this one (from 1); written as 8 hex digits.</param>
    /// <param name="cnonce">The client nonce (an unguessable token).</param>
    /// <param name="authorization">The header to add to the resent request (with a new CSeq).</param>
    /// <param name="error">Why no header could be built, naming the field and value.</param>
    /// <returns>True when <paramref name="authorization"/> was built.</returns>
    /// <exception cref="ArgumentNullException">An argument is null (programmer error).</exception>
    public static bool TryAuthorize(SipResponse challenge, SipRequest request, DigestCredentials credentials, int nonceCount, string cnonce,
        out SipHeader authorization, out string? error)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(cnonce);
        authorization = default;
        var (challengeHeader, answerHeader) = challenge.StatusCode switch
        {
            401 => ("WWW-Authenticate", "Authorization"),
            407 => ("Proxy-Authenticate", "Proxy-Authorization"),
            _ => (null, null),
        };
        if (challengeHeader is null)
        {
            error = $"status {challenge.StatusCode} is not a digest challenge (401 or 407)";
            return false;
        }
        if (nonceCount < 1)
        {
            error = $"nonce count {nonceCount} must be at least 1";
            return false;
        }
        var chosen = Choose(challenge, challengeHeader, credentials, out error);
        if (chosen is null) return false;
        var qop = chosen.Qop.Count == 0 ? null
            : chosen.Qop.Contains("auth", StringComparer.OrdinalIgnoreCase) ? "auth"
            : chosen.Qop.Contains("auth-int", StringComparer.OrdinalIgnoreCase) ? "auth-int" : null;
        if (chosen.Qop.Count > 0 && qop is null)
        {
            error = $"{challengeHeader} qop '{string.Join(",", chosen.Qop)}' offers neither auth nor auth-int";
            return false;
        }
        var uri = request.RequestUri.ToString();
        var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        var response = ComputeResponse(chosen.Algorithm!.Value, credentials.UserName, chosen.Realm, credentials.Password, request.Method, uri,
            chosen.Nonce, nc, cnonce, qop, request.Body.Span);
        var builder = new StringBuilder("Digest ");
        builder.Append("username=").Append(SipGrammar.Quote(credentials.UserName));
        builder.Append(", realm=").Append(SipGrammar.Quote(chosen.Realm));
        builder.Append(", nonce=").Append(SipGrammar.Quote(chosen.Nonce));
        builder.Append(", uri=").Append(SipGrammar.Quote(uri));
        builder.Append(", response=\"").Append(response).Append('"');
        builder.Append(", algorithm=").Append(chosen.AlgorithmName);
        if (chosen.Opaque is not null) builder.Append(", opaque=").Append(SipGrammar.Quote(chosen.Opaque));
        if (qop is not null) builder.Append(", qop=").Append(qop).Append(", nc=").Append(nc).Append(", cnonce=").Append(SipGrammar.Quote(cnonce));
        authorization = new SipHeader(answerHeader!, builder.ToString());
        error = null;
        return true;
    }

    /// <summary>
    /// The request-digest (RFC 2617 §3.2.2.1, RFC 7616 §3.4.1): KD(HA1, nonce:nc:cnonce:qop:HA2) with qop, else
    /// KD(HA1, nonce:HA2); HA1 of a <c>-sess</c> algorithm is H(H(user:realm:password):nonce:cnonce); HA2 with
    /// auth-int hashes the body too. Lower-case hex.
    /// </summary>
    internal static string ComputeResponse(DigestAlgorithm algorithm, string userName, string realm, string password, string method,
        string digestUri, string nonce, string nc, string cnonce, string? qop, ReadOnlySpan<byte> body = default)
    {
        var sha = algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess;
        var ha1 = Hash(sha, userName + ":" + realm + ":" + password);
        if (algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess) ha1 = Hash(sha, ha1 + ":" + nonce + ":" + cnonce);
        var ha2 = string.Equals(qop, "auth-int", StringComparison.OrdinalIgnoreCase)
            ? Hash(sha, method + ":" + digestUri + ":" + Hex(sha ? SHA256.HashData(body) : MD5.HashData(body)))
            : Hash(sha, method + ":" + digestUri);
        return qop is null
            ? Hash(sha, ha1 + ":" + nonce + ":" + ha2)
            : Hash(sha, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private static DigestChallenge? Choose(SipResponse response, string headerName, DigestCredentials credentials, out string? error)
    {
        DigestChallenge? best = null;
        var problems = new List<string>();
        foreach (var header in response.Headers)
        {
            if (!HeaderNames.Matches(header.Name, headerName)) continue;
            if (!DigestChallenge.TryParse(header.Value, out var candidate, out var problem))
            {
                problems.Add(problem!);
                continue;
            }
            if (candidate!.Algorithm is null)
            {
                problems.Add($"algorithm '{candidate.AlgorithmName}' is not supported");
                continue;
            }
            if (credentials.Realm is not null && !string.Equals(credentials.Realm, candidate.Realm, StringComparison.Ordinal))
            {
                problems.Add($"realm '{candidate.Realm}' is not the credentials' realm '{credentials.Realm}'");
                continue;
            }
            if (best is null || Strength(candidate.Algorithm.Value) > Strength(best.Algorithm!.Value)) best = candidate;
        }
        error = best is not null ? null
            : problems.Count == 0 ? $"the {response.StatusCode} response has no {headerName} header"
            : $"no usable {headerName} challenge: " + string.Join("; ", problems);
        return best;
    }

    private static int Strength(DigestAlgorithm algorithm) => algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess ? 2 : 1;

    private static string Hash(bool sha256, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Hex(sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
