using System.Globalization;
using System.Net;
using Newtonsoft.Json.Linq;
using Siprec.Control;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// Reads one value of the gateway's configuration file for every section reader, so each bad key fails with the same
/// message shape: the file, the key's JSON path and why. Secrets are never put in a message.
/// </summary>
internal sealed class ConfigurationFileReader(string source)
{
    public string Source => source;

    public GatewayConfigurationException Bad(JToken token, string why) => new($"{source}: {token.Path}: {why}");

    public void NoUnknownKeys(JObject obj, string[] known)
    {
        foreach (var property in obj.Properties())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
                throw new GatewayConfigurationException($"{source}: {property.Path}: unknown key (expected one of {string.Join(", ", known)})");
        }
    }

    public JToken Required(JObject obj, string key) =>
        obj[key] ?? throw new GatewayConfigurationException($"{source}: {(obj.Path.Length == 0 ? key : obj.Path + "." + key)}: required");

    public JObject Object(JToken token) => token as JObject ?? throw Bad(token, "must be an object");

    public JArray Array(JToken token) => token as JArray ?? throw Bad(token, "must be an array");

    public string String(JToken token, bool secret = false)
    {
        if (token.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)token)) throw Bad(token, "must be a non-empty string");
        var value = ((string)token!).Trim();
        if (value.Any(char.IsControl)) throw Bad(token, secret ? "contains a control character" : $"'{RecordingErrorTexts.Printable(value)}' contains a control character");
        return value;
    }

    public bool Bool(JToken token) => token.Type == JTokenType.Boolean ? (bool)token : throw Bad(token, "must be true or false");

    public List<string> Strings(JToken token, bool secret = false) => Array(token).Select(t => String(t, secret)).ToList();

    public int Int(JToken token, int min, int max)
    {
        if (token.Type != JTokenType.Integer) throw Bad(token, "must be a whole number");
        var value = (long)token;
        if (value < min || value > max) throw Bad(token, string.Create(CultureInfo.InvariantCulture, $"must be {min}..{max}, was {value}"));
        return (int)value;
    }

    public IPAddress Address(JToken token)
    {
        var text = String(token);
        return IPAddress.TryParse(text, out var address) ? address : throw Bad(token, $"'{text}' is not an IP address");
    }

    public IPEndPoint EndPoint(JToken token)
    {
        var text = String(token);
        if (text.Contains("://", StringComparison.Ordinal) || !IPEndPoint.TryParse(text, out var endPoint) || !text.Contains(':'))
        {
            throw Bad(token, $"'{text}' is not HOST:PORT with an IP address");
        }
        return endPoint;
    }
}
