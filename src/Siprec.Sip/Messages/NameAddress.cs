using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// A name-addr or addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39): From, To, Contact,
/// Route, Record-Route. Parameters outside the angle brackets belong to the header, inside to the URI.
/// </summary>
/// <param name="DisplayName">The display name without quotes and escapes, or null.</param>
/// <param name="Uri">The address.</param>
/// <param name="Parameters">Header parameters in order (e.g. <c>tag</c>, <c>expires</c>, <c>+sip.src</c>).</param>
public sealed record NameAddress(string? DisplayName, SipUri Uri, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>Creates an address without display name and parameters.</summary>
    public NameAddress(SipUri uri) : this(null, uri, Array.Empty<KeyValuePair<string, string?>>())
    {
    }

    /// <summary>The <c>tag</c> parameter (RFC 3261 §19.3), or null.</summary>
    public string? Tag => SipGrammar.Find(Parameters, "tag");

    /// <summary>The value of header parameter <paramref name="name"/> (empty for a flag), or null.</summary>
    public string? GetParameter(string name) => SipGrammar.Find(Parameters, name);

    /// <summary>A copy whose <c>tag</c> parameter is <paramref name="tag"/> (replaced or appended).</summary>
    public NameAddress WithTag(string tag) => WithParameter("tag", tag);

    /// <summary>A copy with header parameter <paramref name="name"/> set (replaced in place or appended).</summary>
    public NameAddress WithParameter(string name, string? value) => this with { Parameters = SipGrammar.With(Parameters, name, value) };

    /// <summary>Parses one name-addr or addr-spec with parameters; false (never throws) when malformed.</summary>
    public static bool TryParse(string text, out NameAddress? value)
    {
        value = null;
        if (text is null) return false;
        var s = text.Trim();
        if (s.Length == 0 || !SipGrammar.IsBalanced(s)) return false;
        string? display = null;
        string uriText;
        string rest;
        var lt = IndexOfUnquoted(s, '<');
        if (lt >= 0)
        {
            var gt = s.IndexOf('>', lt);
            if (gt < 0) return false;
            var displayText = s[..lt].Trim();
            if (displayText.Length > 0)
            {
                if (displayText[0] == '"')
                {
                    if (!SipGrammar.TryUnquote(displayText, out var unquoted)) return false;
                    display = unquoted;
                }
                else
                {
                    foreach (var c in displayText)
                    {
                        if (!SipGrammar.IsTokenChar(c) && !SipGrammar.IsWhitespace(c)) return false;
                    }
                    display = displayText;
                }
            }
            uriText = s[(lt + 1)..gt];
            rest = s[(gt + 1)..];
        }
        else
        {
            var end = s.IndexOfAny([';', ' ', '\t']);
            uriText = end < 0 ? s : s[..end];
            rest = end < 0 ? "" : s[end..];
            if (uriText.IndexOfAny([',', '?']) >= 0) return false;
        }
        if (!SipUri.TryParse(uriText, out var uri)) return false;
        if (!SipGrammar.TryParseParameters(rest, out var parameters)) return false;
        value = new NameAddress(display, uri!, parameters);
        return true;
    }

    private static int IndexOfUnquoted(string s, char wanted)
    {
        var inQuotes = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (inQuotes)
            {
                if (c == '\\') i++;
                else if (c == '"') inQuotes = false;
            }
            else if (c == '"') inQuotes = true;
            else if (c == wanted) return i;
        }
        return -1;
    }

    /// <summary>The wire form, always <c>"name" &lt;uri&gt;;params</c> so URI parameters stay inside the brackets.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(96);
        if (!string.IsNullOrEmpty(DisplayName)) builder.Append(SipGrammar.Quote(DisplayName)).Append(' ');
        builder.Append('<').Append(Uri.ToString()).Append('>');
        SipGrammar.AppendParameters(builder, Parameters);
        return builder.ToString();
    }
}
