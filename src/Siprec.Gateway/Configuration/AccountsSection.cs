using Newtonsoft.Json.Linq;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>accounts</c> section (sid, auth token, API keys, default connector and application of each REST tenant) and
/// <c>defaultAccount</c>; secrets are read here and never named by value.
/// </summary>
internal sealed class AccountsSection
{
    private readonly ConfigurationFileReader _reader;
    private readonly ApplicationsSection _applications;

    public AccountsSection(ConfigurationFileReader reader, ApplicationsSection applications)
    {
        _reader = reader;
        _applications = applications;
    }

    public List<GatewayAccount> Read(JToken? token)
    {
        var accounts = new List<GatewayAccount>();
        if (token is null) return accounts;
        foreach (var item in _reader.Array(token))
        {
            var obj = _reader.Object(item);
            _reader.NoUnknownKeys(obj, ["sid", "authToken", "apiKeys", "defaultConnector", .. ApplicationsSection.ApplicationKeys]);
            var sid = _reader.String(_reader.Required(obj, "sid"));
            if (accounts.Any(a => a.Sid == sid)) throw _reader.Bad(obj["sid"]!, $"account '{sid}' is listed twice");
            if (sid.Any(c => !char.IsAsciiLetterOrDigit(c))) throw _reader.Bad(obj["sid"]!, "letters and digits only");
            // The token's value is never put in a message: only its key is named.
            var token2 = _reader.String(_reader.Required(obj, "authToken"), secret: true);
            if (token2.Length < 16) throw _reader.Bad(obj["authToken"]!, "must be at least 16 characters");
            var keys = obj["apiKeys"] is { } k ? _reader.Strings(k, secret: true) : [];
            var defaultConnector = obj["defaultConnector"] is { Type: not JTokenType.Null } d ? _reader.String(d) : null;
            accounts.Add(new GatewayAccount(sid, token2, keys) { DefaultConnector = defaultConnector, Application = _applications.ReadAccountApplication(obj) });
        }
        return accounts;
    }

    public string ReadDefaultAccount(JToken defaultAccount, IReadOnlyList<GatewayAccount> accounts)
    {
        var sid = _reader.String(defaultAccount);
        if (accounts.All(a => a.Sid != sid)) throw _reader.Bad(defaultAccount, $"'{sid}' is not the sid of one of the accounts");
        return sid;
    }

    // Connectors are read after accounts: a defaultConnector naming none of them is a start-up error naming the account.
    public void CheckDefaultConnectors(JToken? accountsToken, GatewayOptions options)
    {
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            if (options.Accounts[i].DefaultConnector is { } name && !options.Connectors.TryGet(name, out _))
            {
                var token = accountsToken![i]!["defaultConnector"]!;
                throw _reader.Bad(token, $"account '{options.Accounts[i].Sid}': defaultConnector '{name}' is not one of the connectors");
            }
        }
    }
}
