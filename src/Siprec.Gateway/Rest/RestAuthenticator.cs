using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Siprec.Gateway.Configuration;

namespace Siprec.Gateway.Rest;

/// <summary>
/// Finds the account a REST request acts for (DESIGN §4.4): <c>Authorization: Basic base64(AccountSid:AuthToken)</c>
/// or <c>Authorization: Bearer &lt;api key&gt;</c>. Secrets are compared in constant time and never logged.
/// </summary>
internal sealed class RestAuthenticator
{
    private readonly IReadOnlyList<GatewayAccount> _accounts;

    /// <param name="accounts">The configured accounts.</param>
    public RestAuthenticator(IReadOnlyList<GatewayAccount> accounts) => _accounts = accounts;

    /// <summary>The account the header authenticates; null when absent, malformed or wrong. Never throws on the header.</summary>
    public GatewayAccount? Authenticate(string? authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization) || !AuthenticationHeaderValue.TryParse(authorization, out var header) || header.Parameter is null)
        {
            return null;
        }
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return _accounts.FirstOrDefault(a => a.ApiKeys.Any(k => SecretEquals(k, header.Parameter)));
        }
        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }
        var sid = decoded[..colon];
        var token = decoded[(colon + 1)..];
        var account = _accounts.FirstOrDefault(a => a.Sid == sid);
        return account is not null && SecretEquals(account.AuthToken, token) ? account : null;
    }

    private static bool SecretEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
