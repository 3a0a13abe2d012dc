using System.Buffers;
using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>Small RFC 3261 §25 grammar helpers shared by the header parsers; none of them throws.</summary>
internal static class SipGrammar
{
    /// <summary>RFC 3261 token characters: alphanum and <c>-.!%*_+`'~</c>.</summary>
    public static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    /// <summary>RFC 3261 token characters as bytes (ASCII only).</summary>
    public static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);

    /// <summary>True for an RFC 3261 token character (a table lookup: the per-character loops of the string readers call it).</summary>
    public static bool IsTokenChar(char c) => c < 128 && TokenTable[c];

    /// <summary><see cref="TokenChars"/> as a 128-entry table, so one character costs one load.</summary>
    private static readonly bool[] TokenTable = BuildTokenTable();

    private static bool[] BuildTokenTable()
    {
        var table = new bool[128];
        for (var c = 0; c < table.Length; c++) table[c] = TokenChars.Contains((char)c);
        return table;
    }

    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>Splits at <paramref name="separator"/> outside quoted strings and angle brackets; items trimmed.</summary>
    public static List<string> Split(string text, char separator)
    {
        var items = new List<string>();
        var inQuotes = false;
        var angle = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '\\') i++;
                else if (c == '"') inQuotes = false;
                continue;
            }
            switch (c)
            {
                case '"': inQuotes = true; break;
                case '<': angle++; break;
                case '>': if (angle > 0) angle--; break;
                default:
                    if (c == separator && angle == 0)
                    {
                        items.Add(text[start..i].Trim());
                        start = i + 1;
                    }
                    break;
            }
        }
        items.Add(text[start..].Trim());
        return items;
    }

    /// <summary>True when quotes and angle brackets in <paramref name="text"/> are balanced.</summary>
    public static bool IsBalanced(string text)
    {
        var inQuotes = false;
        var angle = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '\\') i++;
                else if (c == '"') inQuotes = false;
            }
            else if (c == '"') inQuotes = true;
            else if (c == '<') angle++;
            else if (c == '>' && --angle < 0) return false;
        }
        return !inQuotes && angle == 0;
    }

    /// <summary>
    /// Parses <c>*( SEMI name [EQUAL value] )</c> where <paramref name="text"/> starts at the first <c>;</c>
    /// (or is empty). LWS around <c>;</c> and <c>=</c> is allowed; empty names fail.
    /// </summary>
    public static bool TryParseParameters(string text, out List<KeyValuePair<string, string?>> parameters)
    {
        parameters = new List<KeyValuePair<string, string?>>();
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return true;
        if (trimmed[0] != ';') return false;
        var items = Split(trimmed[1..], ';');
        foreach (var item in items)
        {
            var eq = item.IndexOf('=');
            string name;
            string? value = null;
            if (eq < 0) name = item.Trim();
            else
            {
                name = item[..eq].Trim();
                value = item[(eq + 1)..].Trim();
                if (value.Length == 0) return false;
                if (value[0] == '"' && (value.Length < 2 || value[^1] != '"')) return false;
            }
            if (!IsToken(name)) return false;
            parameters.Add(new KeyValuePair<string, string?>(name, value));
        }
        return true;
    }

    public static string? Find(IReadOnlyList<KeyValuePair<string, string?>> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value ?? "";
        }
        return null;
    }

    public static bool Has(IReadOnlyList<KeyValuePair<string, string?>> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    public static void AppendParameters(StringBuilder builder, IReadOnlyList<KeyValuePair<string, string?>> parameters)
    {
        foreach (var p in parameters)
        {
            builder.Append(';').Append(p.Key);
            if (p.Value is not null) builder.Append('=').Append(p.Value);
        }
    }

    public static List<KeyValuePair<string, string?>> With(IReadOnlyList<KeyValuePair<string, string?>> parameters, string name, string? value)
    {
        var list = new List<KeyValuePair<string, string?>>(parameters.Count + 1);
        var replaced = false;
        foreach (var p in parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                if (!replaced) list.Add(new KeyValuePair<string, string?>(name, value));
                replaced = true;
            }
            else list.Add(p);
        }
        if (!replaced) list.Add(new KeyValuePair<string, string?>(name, value));
        return list;
    }

    /// <summary>Removes the surrounding quotes and quoted-pair escapes; false when unterminated.</summary>
    public static bool TryUnquote(string text, out string value)
    {
        value = "";
        if (text.Length < 2 || text[0] != '"') return false;
        var builder = new StringBuilder(text.Length);
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length) return false;
                builder.Append(text[++i]);
            }
            else if (c == '"')
            {
                if (i != text.Length - 1) return false;
                value = builder.ToString();
                return true;
            }
            else builder.Append(c);
        }
        return false;
    }

    /// <summary>A quoted-string with <c>"</c> and <c>\</c> escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') builder.Append('\\');
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
