namespace Siprec.Sip.Messages;

/// <summary>
/// The syntax checks <see cref="SipParser"/> makes on the headers the stack relies on (RFC 3261 §8.1.1, §20):
/// Content-Length, Via, From, To, Contact, Route, Record-Route, CSeq, Max-Forwards, Call-ID, and that the
/// mandatory ones are present. Semantics (repeats, CSeq method, schemes…) are <see cref="SipRequestValidator"/>'s.
/// </summary>
internal static class SipHeaderChecks
{
    private enum Kind { Other, ContentLength, Via, FromOrTo, Contact, Route, CSeq, MaxForwards, CallId }

    private const int SeenVia = 1, SeenFrom = 2, SeenTo = 4, SeenCallId = 8, SeenCSeq = 16, SeenAll = 31;

    private static readonly Dictionary<string, (Kind Kind, int Seen)> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Length"] = (Kind.ContentLength, 0), ["l"] = (Kind.ContentLength, 0),
        ["Via"] = (Kind.Via, SeenVia), ["v"] = (Kind.Via, SeenVia),
        ["From"] = (Kind.FromOrTo, SeenFrom), ["f"] = (Kind.FromOrTo, SeenFrom),
        ["To"] = (Kind.FromOrTo, SeenTo), ["t"] = (Kind.FromOrTo, SeenTo),
        ["Contact"] = (Kind.Contact, 0), ["m"] = (Kind.Contact, 0),
        ["Route"] = (Kind.Route, 0), ["Record-Route"] = (Kind.Route, 0),
        ["CSeq"] = (Kind.CSeq, SeenCSeq),
        ["Max-Forwards"] = (Kind.MaxForwards, 0),
        ["Call-ID"] = (Kind.CallId, SeenCallId), ["i"] = (Kind.CallId, SeenCallId),
    };

    /// <summary>
    /// Checks <paramref name="headers"/>; <paramref name="contentLength"/>
    /// is the declared body length or -1 when absent. The fast paths read the value bytes; only a value they are not sure
    /// of is decoded for the full parser. False with an error naming the header and value.
    /// </summary>
    public static bool TryCheck(ParsedHeaderList headers, out int contentLength, out SipParseError error)
    {
        contentLength = -1;
        var seen = 0;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers.NameAt(i);
            if (!TryGetKind(name, out var entry)) continue;
            seen |= entry.Seen;
            var raw = headers.RawValueAt(i, out var folded);
            if (entry.Kind == Kind.ContentLength && folded is null && TryParseDigits(raw, out var length) && contentLength < 0)
            {
                contentLength = length;
                continue;
            }
            if (folded is null && IsSimple(entry.Kind, raw)) continue;
            if (!TryCheckValue(entry.Kind, name, headers.ValueAt(i), headers.LineOffsetAt(i), ref contentLength, out error)) return false;
        }
        if (seen != SeenAll)
        {
            foreach (var (required, bit) in (ReadOnlySpan<(string, int)>)[("Via", SeenVia), ("From", SeenFrom), ("To", SeenTo), ("Call-ID", SeenCallId), ("CSeq", SeenCSeq)])
            {
                if ((seen & bit) == 0) return SipParser.Fail(out error, SipParseErrorReason.MissingHeader, 0, required, 400, $"missing {required} header");
            }
        }
        error = SipParseError.None;
        return true;
    }

    /// <summary>The allocation-free check of one value: true means valid; false means the string check decides.</summary>
    private static bool IsSimple(Kind kind, ReadOnlySpan<byte> value) => kind switch
    {
        Kind.Via => SipSyntax.IsSimpleViaList(value),
        Kind.FromOrTo => SipSyntax.IsSimpleNameAddress(value),
        Kind.Contact => (value.Length == 1 && value[0] == (byte)'*') || SipSyntax.IsSimpleAddressList(value),
        Kind.Route => SipSyntax.IsSimpleAddressList(value),
        Kind.CSeq => SipSyntax.IsCSeq(value),
        Kind.CallId => !value.IsEmpty,
        Kind.MaxForwards => TryParseDigits(value, out var hops) && hops <= 255,
        _ => false,
    };

    /// <summary>The string check of one value, which words the error (and reads a folded or repeated Content-Length).</summary>
    private static bool TryCheckValue(Kind kind, string name, string value, int offset, ref int contentLength, out SipParseError error)
    {
        error = SipParseError.None;
        switch (kind)
        {
            case Kind.ContentLength:
                if (!TryParseDigits(value, out var cl))
                {
                    return SipParser.Fail(out error, SipParseErrorReason.BadContentLength, offset, name, 400, $"invalid Content-Length '{SipParser.Shorten(value)}'");
                }
                if (contentLength >= 0 && contentLength != cl)
                {
                    return SipParser.Fail(out error, SipParseErrorReason.BadContentLength, offset, name, 400, "conflicting Content-Length values");
                }
                contentLength = cl;
                return true;
            case Kind.Via:
                if (value.Contains(','))
                {
                    foreach (var item in SipGrammar.Split(value, ','))
                    {
                        if (!Via.TryParse(item, out _)) return SipParser.Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed Via '{SipParser.Shorten(item)}'");
                    }
                }
                else if (!Via.TryParse(value, out _)) return SipParser.Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed Via '{SipParser.Shorten(value)}'");
                return true;
            case Kind.FromOrTo:
                return NameAddress.TryParse(value, out _)
                    || SipParser.Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed {HeaderNames.Canonical(name)} '{SipParser.Shorten(value)}'");
            case Kind.Contact when value == "*":
                return true;
            case Kind.Contact:
            case Kind.Route:
                foreach (var item in SipGrammar.Split(value, ','))
                {
                    if (!NameAddress.TryParse(item, out _)) return SipParser.Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"malformed {HeaderNames.Canonical(name)} '{SipParser.Shorten(item)}'");
                }
                return true;
            case Kind.CSeq:
                return CSeq.TryParse(value, out _)
                    || SipParser.Fail(out error, SipParseErrorReason.BadCSeq, offset, name, 400, $"malformed CSeq '{SipParser.Shorten(value)}'");
            case Kind.MaxForwards:
                return (TryParseDigits(value, out var hops) && hops <= 255)
                    || SipParser.Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, $"invalid Max-Forwards '{SipParser.Shorten(value)}'");
            case Kind.CallId:
                return value.Length > 0 || SipParser.Fail(out error, SipParseErrorReason.BadHeader, offset, name, 400, "empty Call-ID");
            default:
                return true;
        }
    }

    /// <summary>The kind of header <paramref name="name"/>: a switch for the usual spellings, the dictionary for the rest.</summary>
    private static bool TryGetKind(string name, out (Kind Kind, int Seen) entry)
    {
        switch (name)
        {
            case "Via": entry = (Kind.Via, SeenVia); return true;
            case "From": entry = (Kind.FromOrTo, SeenFrom); return true;
            case "To": entry = (Kind.FromOrTo, SeenTo); return true;
            case "Call-ID": entry = (Kind.CallId, SeenCallId); return true;
            case "CSeq": entry = (Kind.CSeq, SeenCSeq); return true;
            case "Contact": entry = (Kind.Contact, 0); return true;
            case "Max-Forwards": entry = (Kind.MaxForwards, 0); return true;
            case "Content-Length": entry = (Kind.ContentLength, 0); return true;
            case "Content-Type" or "Require" or "Supported" or "Allow" or "User-Agent" or "Session-Expires" or "Server"
                or "Accept" or "Min-SE" or "Content-Disposition" or "Expires" or "Date":
                entry = default;
                return false;
            default:
                return Kinds.TryGetValue(name, out entry);
        }
    }

    /// <summary>1*DIGIT that fits an int (RFC 3261 §20.14, §20.22).</summary>
    private static bool TryParseDigits(string text, out int value)
    {
        Span<byte> ascii = stackalloc byte[Math.Min(text.Length, 16)];
        value = 0;
        return text.Length <= ascii.Length && System.Text.Ascii.FromUtf16(text, ascii, out _) == System.Buffers.OperationStatus.Done
            && TryParseDigits(ascii, out value);
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.IsEmpty) return false;
        long total = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9') return false;
            total = (total * 10) + (c - '0');
            if (total > int.MaxValue) return false;
        }
        value = (int)total;
        return true;
    }
}
