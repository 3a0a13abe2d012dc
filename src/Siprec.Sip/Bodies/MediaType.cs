using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Bodies;

/// <summary>A media type with parameters (RFC 2045 §5.1, RFC 3261 §20.15), e.g. <c>multipart/mixed;boundary=x</c>.</summary>
/// <param name="Type">Top-level type, lower-case.</param>
/// <param name="SubType">Subtype, lower-case.</param>
/// <param name="Parameters">Parameters in order; values unquoted.</param>
public sealed record MediaType(string Type, string SubType, IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    /// <summary>Creates a media type without parameters.</summary>
    public MediaType(string type, string subType) : this(type, subType, Array.Empty<KeyValuePair<string, string>>())
    {
    }

    /// <summary>The value of parameter <paramref name="name"/> (case-insensitive name), or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }

    /// <summary>True when type and subtype equal the given ones (case-insensitive).</summary>
    public bool Is(string type, string subType) =>
        string.Equals(Type, type, StringComparison.OrdinalIgnoreCase) && string.Equals(SubType, subType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>type/subtype *(; name=value)</c>; quoted values are unquoted. False (never throws) when malformed.</summary>
    public static bool TryParse(string text, out MediaType? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var items = SipGrammar.Split(text, ';');
        var typeText = items[0];
        var slash = typeText.IndexOf('/');
        if (slash <= 0) return false;
        var type = typeText[..slash].Trim();
        var subType = typeText[(slash + 1)..].Trim();
        if (!SipGrammar.IsToken(type) || !SipGrammar.IsToken(subType)) return false;
        var parameters = new List<KeyValuePair<string, string>>();
        for (var i = 1; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Length == 0) continue;
            var eq = item.IndexOf('=');
            if (eq <= 0) return false;
            var name = item[..eq].Trim();
            var raw = item[(eq + 1)..].Trim();
            if (!SipGrammar.IsToken(name)) return false;
            if (raw.StartsWith('"'))
            {
                if (!SipGrammar.TryUnquote(raw, out var unquoted)) return false;
                raw = unquoted;
            }
            parameters.Add(new KeyValuePair<string, string>(name, raw));
        }
        value = new MediaType(type.ToLowerInvariant(), subType.ToLowerInvariant(), parameters);
        return true;
    }

    /// <summary>The wire form; values that are not tokens are quoted.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder().Append(Type).Append('/').Append(SubType);
        foreach (var p in Parameters)
        {
            builder.Append(';').Append(p.Key).Append('=').Append(SipGrammar.IsToken(p.Value) ? p.Value : SipGrammar.Quote(p.Value));
        }
        return builder.ToString();
    }
}
