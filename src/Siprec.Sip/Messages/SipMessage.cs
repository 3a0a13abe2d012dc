using System.Text;

namespace Siprec.Sip.Messages;

/// <summary>
/// An immutable SIP message (RFC 3261 §7): ordered raw headers plus a byte-exact body. Typed accessors parse
/// on each call and return null for a missing or malformed value; they never throw.
/// </summary>
public abstract record SipMessage
{
    /// <summary>Headers in wire order; unknown headers kept verbatim.</summary>
    public IReadOnlyList<SipHeader> Headers { get; init; } = Array.Empty<SipHeader>();

    /// <summary>The message body, byte-exact (Content-Length is derived from it when serializing).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The first value of header <paramref name="name"/>; case-insensitive, compact forms match long names.</summary>
    public string? GetHeader(string name)
    {
        if (Headers is ParsedHeaderList parsed)
        {
            // Compare names only, so a lookup decodes just the value it returns.
            for (var i = 0; i < parsed.Count; i++)
            {
                if (HeaderNames.Matches(parsed.NameAt(i), name)) return parsed.ValueAt(i);
            }
            return null;
        }
        foreach (var header in Headers)
        {
            if (HeaderNames.Matches(header.Name, name)) return header.Value;
        }
        return null;
    }

    /// <summary>
    /// All values of header <paramref name="name"/> in order; comma-separated lists are split (respecting quotes
    /// and angle brackets) except for headers whose grammar is not a list (Date, Call-ID, auth headers…).
    /// </summary>
    public IReadOnlyList<string> GetHeaderValues(string name)
    {
        var values = new List<string>();
        var split = HeaderNames.IsList(name);
        var headers = Headers;
        var parsed = headers as ParsedHeaderList;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!HeaderNames.Matches(parsed?.NameAt(i) ?? headers[i].Name, name)) continue;
            var value = parsed?.ValueAt(i) ?? headers[i].Value;
            if (!split) values.Add(value);
            else
            {
                foreach (var item in SipGrammar.Split(value, ','))
                {
                    if (item.Length > 0) values.Add(item);
                }
            }
        }
        return values;
    }

    /// <summary>The Call-ID (RFC 3261 §20.8), trimmed, or null.</summary>
    public string? CallId => GetHeader("Call-ID")?.Trim();

    /// <summary>The parsed CSeq (RFC 3261 §20.16), or null when absent or malformed.</summary>
    public CSeq? CSeq => Messages.CSeq.TryParse(GetHeader("CSeq"), out var value) ? value : null;

    /// <summary>The parsed From (RFC 3261 §20.20), or null.</summary>
    public NameAddress? From => NameAddress.TryParse(GetHeader("From") ?? "", out var value) ? value : null;

    /// <summary>The parsed To (RFC 3261 §20.39), or null.</summary>
    public NameAddress? To => NameAddress.TryParse(GetHeader("To") ?? "", out var value) ? value : null;

    /// <summary>All Via values, topmost first; malformed ones are skipped (the parser rejects them on input).</summary>
    public IReadOnlyList<Via> Vias
    {
        get
        {
            var vias = new List<Via>();
            foreach (var text in GetHeaderValues("Via"))
            {
                if (Via.TryParse(text, out var via)) vias.Add(via!);
            }
            return vias;
        }
    }

    /// <summary>The first Contact address (RFC 3261 §20.10), or null (also for <c>*</c>).</summary>
    public NameAddress? Contact
    {
        get
        {
            var values = GetHeaderValues("Contact");
            return values.Count > 0 && NameAddress.TryParse(values[0], out var value) ? value : null;
        }
    }

    /// <summary>The Content-Type value as written, or null.</summary>
    public string? ContentType => GetHeader("Content-Type");

    /// <summary>Parsed Record-Route values, topmost first; malformed ones skipped.</summary>
    public IReadOnlyList<NameAddress> RecordRoutes => ParseAddresses("Record-Route");

    /// <summary>Parsed Route values, topmost first; malformed ones skipped.</summary>
    public IReadOnlyList<NameAddress> Routes => ParseAddresses("Route");

    private List<NameAddress> ParseAddresses(string name)
    {
        var list = new List<NameAddress>();
        foreach (var text in GetHeaderValues(name))
        {
            if (NameAddress.TryParse(text, out var value)) list.Add(value!);
        }
        return list;
    }

    /// <summary>The message as UTF-8 text (for logs); bodies that are not text come out lossy.</summary>
    public sealed override string ToString() => Encoding.UTF8.GetString(SipSerializer.Serialize(this));
}
