using System.Text;

namespace Siprec.Gateway.RecordingControl;

/// <summary>Formats <c>Warning: 399 &lt;host&gt; "&lt;text&gt;"</c> (RFC 3261 §20.43; 399 = miscellaneous warning) and reads it back.</summary>
internal static class WarningHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Warning";

    /// <summary>The warn-code for free text.</summary>
    public const int Miscellaneous = 399;

    /// <summary>Builds the header value; the text becomes a quoted-string (RFC 3261 §25.1: <c>\</c> and <c>"</c> escaped, control characters dropped).</summary>
    public static string Format(string warnAgent, string text)
    {
        var builder = new StringBuilder(text.Length + warnAgent.Length + 8);
        builder.Append(Miscellaneous).Append(' ').Append(warnAgent).Append(" \"");
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (!char.IsControl(c))
            {
                builder.Append(c);
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Reads the warn-text of a header value (unquoted, unescaped); null when the value has no quoted-string.</summary>
    public static string? ReadText(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var open = value.IndexOf('"');
        if (open < 0)
        {
            return null;
        }
        var builder = new StringBuilder(value.Length);
        for (var i = open + 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                builder.Append(value[++i]);
            }
            else if (c == '"')
            {
                return builder.ToString();
            }
            else
            {
                builder.Append(c);
            }
        }
        return null;
    }
}
