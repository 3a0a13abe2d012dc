namespace Siprec.Sip.Messages;

/// <summary>Header name comparison with the compact forms of RFC 3261 §7.3.3 and later RFCs.</summary>
internal static class HeaderNames
{
    private static readonly Dictionary<string, string> CompactToLong = new(StringComparer.OrdinalIgnoreCase)
    {
        ["i"] = "Call-ID", ["f"] = "From", ["t"] = "To", ["v"] = "Via", ["m"] = "Contact",
        ["l"] = "Content-Length", ["c"] = "Content-Type", ["k"] = "Supported", ["s"] = "Subject",
        ["e"] = "Content-Encoding", ["o"] = "Event", ["u"] = "Allow-Events", ["r"] = "Refer-To",
        ["b"] = "Referred-By", ["x"] = "Session-Expires", ["a"] = "Accept-Contact", ["j"] = "Reject-Contact",
        ["d"] = "Request-Disposition", ["y"] = "Identity", ["n"] = "Identity-Info",
    };

    /// <summary>Headers whose values may contain commas that do not separate list items.</summary>
    private static readonly HashSet<string> NotLists = new(StringComparer.OrdinalIgnoreCase)
    {
        "Call-ID", "CSeq", "Content-Length", "Content-Type", "Max-Forwards", "Date", "Subject", "User-Agent",
        "Server", "Organization", "Retry-After", "Timestamp", "Expires", "Min-Expires", "Content-Disposition",
        "WWW-Authenticate", "Authorization", "Proxy-Authenticate", "Proxy-Authorization", "Authentication-Info",
        "Session-Expires", "Min-SE", "MIME-Version", "Priority", "Reply-To", "In-Reply-To", "Identity", "Identity-Info",
        "Refer-To", "Referred-By", "Event", "Subscription-State", "Replaces", "RAck", "RSeq",
    };

    /// <summary>Header names as commonly written; parsing reuses these strings instead of allocating.</summary>
    private static readonly string[] Common =
    [
        "Via", "From", "To", "Call-ID", "CSeq", "Contact", "Max-Forwards", "Content-Type", "Content-Length",
        "Content-Disposition", "Require", "Supported", "Session-Expires", "Min-SE", "Allow", "Accept", "User-Agent",
        "Server", "Record-Route", "Route", "Proxy-Require", "Unsupported", "Expires", "Date", "Subject", "Warning",
        "Authorization", "WWW-Authenticate", "Proxy-Authenticate", "Proxy-Authorization", "RSeq", "RAck", "Event",
        "Reason", "v", "f", "t", "i", "m", "l", "c", "k", "x",
    ];

    /// <summary>The header name for <paramref name="ascii"/> (token bytes), reusing a common string when it matches exactly.</summary>
    public static string Intern(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length < CommonByLength.Length)
        {
            foreach (var (name, bytes) in CommonByLength[ascii.Length])
            {
                if (ascii.SequenceEqual(bytes)) return name;
            }
        }
        return System.Text.Encoding.ASCII.GetString(ascii);
    }

    /// <summary><see cref="Common"/> bucketed by length, with their bytes, so <see cref="Intern"/> compares with a few candidates only.</summary>
    private static readonly (string Name, byte[] Bytes)[][] CommonByLength = BucketByLength(Common);

    private static (string Name, byte[] Bytes)[][] BucketByLength(string[] names)
    {
        var buckets = new (string, byte[])[names.Max(n => n.Length) + 1][];
        for (var length = 0; length < buckets.Length; length++)
        {
            buckets[length] = names.Where(n => n.Length == length).Select(n => (n, System.Text.Encoding.ASCII.GetBytes(n))).ToArray();
        }
        return buckets;
    }

    /// <summary>The long form of <paramref name="name"/> (itself when it is not a compact form).</summary>
    public static string Canonical(string name) => CompactToLong.TryGetValue(name, out var full) ? full : name;

    /// <summary>True when both name the same header; only a one-letter name can be a compact form, so only then is it looked up.</summary>
    public static bool Matches(string actual, string wanted) =>
        string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase)
        || ((actual.Length == 1 || wanted.Length == 1)
            && string.Equals(Canonical(actual), Canonical(wanted), StringComparison.OrdinalIgnoreCase));

    public static bool IsList(string name) => !NotLists.Contains(Canonical(name));
}
