using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// Fast paths for the canonical start lines (RFC 3261 §7.1 <c>Method SP Request-URI SP SIP/2.0</c>, §7.2
/// <c>SIP/2.0 SP Status-Code SP Reason-Phrase</c>) read straight from the bytes. False means "not the canonical
/// form", and <see cref="SipParser"/> falls back to its liberal string-based reader, which decides and words the error.
/// </summary>
internal static class SipStartLine
{
    private static readonly string[] Methods =
    [
        SipMethods.Invite, SipMethods.Ack, SipMethods.Bye, SipMethods.Cancel, SipMethods.Options, SipMethods.Info,
        SipMethods.Update, SipMethods.Register, "PRACK", "NOTIFY", "SUBSCRIBE", "REFER", "MESSAGE", "PUBLISH",
    ];

    /// <summary>
    /// A canonical request line whose Request-URI is in the simple form (<see cref="SipSyntax.IsSimpleSipUri(ReadOnlySpan{byte})"/>: no
    /// headers, no IPv6); <paramref name="uriStart"/> and <paramref name="uriLength"/> locate it in <paramref name="line"/>.
    /// </summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> line, out string method, out int uriStart, out int uriLength)
    {
        method = "";
        uriStart = uriLength = 0;
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) return false;
        var afterMethod = line[(sp1 + 1)..];
        var sp2 = afterMethod.IndexOf((byte)' ');
        if (sp2 <= 0 || !afterMethod[(sp2 + 1)..].SequenceEqual("SIP/2.0"u8)) return false;
        var methodBytes = line[..sp1];
        if (methodBytes.ContainsAnyExcept(SipGrammar.TokenBytes)) return false;
        if (!SipSyntax.IsSimpleSipUri(afterMethod[..sp2])) return false;
        method = InternMethod(methodBytes);
        uriStart = sp1 + 1;
        uriLength = sp2;
        return true;
    }

    /// <summary>A canonical status line with a 1xx..6xx code.</summary>
    public static bool TryReadStatus(ReadOnlySpan<byte> line, out int status, out string reason)
    {
        status = 0;
        reason = "";
        if (line.Length < 11 || !line.StartsWith("SIP/2.0 "u8)) return false;
        var code = line.Slice(8, 3);
        if (code[0] is < (byte)'1' or > (byte)'6' || !char.IsAsciiDigit((char)code[1]) || !char.IsAsciiDigit((char)code[2])) return false;
        if (line.Length > 11 && line[11] != (byte)' ') return false;
        status = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        var phrase = line.Length > 12 ? line[12..] : [];
        reason = phrase.SequenceEqual("OK"u8) ? "OK" : phrase.IsEmpty ? "" : Encoding.UTF8.GetString(phrase);
        return true;
    }

    private static string InternMethod(ReadOnlySpan<byte> ascii)
    {
        foreach (var name in Methods)
        {
            if (name.Length != ascii.Length) continue;
            var equal = true;
            for (var i = 0; i < name.Length && equal; i++) equal = name[i] == ascii[i];
            if (equal) return name;
        }
        return Encoding.ASCII.GetString(ascii);
    }
}
