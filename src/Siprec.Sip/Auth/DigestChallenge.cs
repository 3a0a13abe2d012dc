using Siprec.Sip.Messages;

namespace Siprec.Sip.Auth;

/// <summary>A parsed <c>Digest</c> challenge (RFC 7616 §3.3; RFC 3261 §20.44 WWW-Authenticate, §20.27 Proxy-Authenticate).</summary>
internal sealed record DigestChallenge(string Realm, string Nonce, string? Opaque, string AlgorithmName, DigestAlgorithm? Algorithm,
    IReadOnlyList<string> Qop, bool Stale)
{
    /// <summary>Parses one challenge value; false with an error naming the field for anything not a usable Digest challenge.</summary>
    public static bool TryParse(string value, out DigestChallenge? challenge, out string? error)
    {
        challenge = null;
        if (!TryParseParameters(value, out var parameters, out error)) return false;
        if (!parameters.TryGetValue("realm", out var realm)) return Fail("realm", out error);
        if (!parameters.TryGetValue("nonce", out var nonce) || nonce.Length == 0) return Fail("nonce", out error);
        parameters.TryGetValue("opaque", out var opaque);
        var algorithmName = parameters.TryGetValue("algorithm", out var a) ? a : "MD5";
        parameters.TryGetValue("qop", out var qop);
        parameters.TryGetValue("stale", out var stale);
        var qops = (qop ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        challenge = new DigestChallenge(realm, nonce, opaque, algorithmName, ParseAlgorithm(algorithmName), qops,
            string.Equals(stale, "true", StringComparison.OrdinalIgnoreCase));
        return true;
    }

    /// <summary>Parses <c>Digest k=v, k="v", …</c> into a case-insensitive map; also used for Authorization values.</summary>
    public static bool TryParseParameters(string value, out Dictionary<string, string> parameters, out string? error)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = null;
        var text = value.Trim();
        if (!text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || (text.Length > 6 && !char.IsWhiteSpace(text[6])))
        {
            var scheme = text.Split(' ', 2)[0];
            error = $"authentication scheme '{scheme}' is not Digest";
            return false;
        }
        foreach (var item in SipGrammar.Split(text[6..], ','))
        {
            var part = item.Trim();
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                error = $"malformed digest parameter '{part}'";
                return false;
            }
            var name = part[..eq].Trim();
            var raw = part[(eq + 1)..].Trim();
            string unquoted;
            if (raw.StartsWith('"'))
            {
                if (!SipGrammar.TryUnquote(raw, out unquoted))
                {
                    error = $"malformed quoted value of digest parameter '{name}'";
                    return false;
                }
            }
            else unquoted = raw;
            parameters[name] = unquoted;
        }
        return true;
    }

    private static DigestAlgorithm? ParseAlgorithm(string name) => name.ToUpperInvariant() switch
    {
        "MD5" => DigestAlgorithm.Md5,
        "MD5-SESS" => DigestAlgorithm.Md5Sess,
        "SHA-256" => DigestAlgorithm.Sha256,
        "SHA-256-SESS" => DigestAlgorithm.Sha256Sess,
        _ => null,
    };

    private static bool Fail(string field, out string? error)
    {
        error = $"digest challenge has no '{field}' parameter";
        return false;
    }
}
