namespace Siprec.Control;

/// <summary>
/// Which names a request's custom headers may have (REST <c>Parameter{N}.Name</c> sent as SIP headers, the INFO's
/// JSON body, the jambonz verb's <c>headers</c>, a connector's <c>headers</c>). An allow-list: a name starting with
/// <c>X-</c>, or one of <see cref="ExtraAllowedNames"/>. Every header the SIP stack or the SRC writes itself (Via,
/// Call-ID, CSeq, Contact, Require, …) and every identity or routing header a trusted peer could be fooled by
/// (P-Asserted-Identity, Proxy-Require, Route, …) is therefore refused, in any spelling: names are compared
/// case-insensitively and a one-letter compact form (RFC 3261 §7.3.3 and the IANA SIP header registry) is read as the
/// header it abbreviates, so <c>i</c> is Call-ID and <c>v</c> is Via.
/// </summary>
public static class CustomHeaderPolicy
{
    /// <summary>
    /// The names allowed besides <c>X-*</c>: <c>User-to-User</c> (RFC 7433 call-control UUI), <c>Call-Info</c>
    /// (RFC 3261 §20.9) and <c>Organization</c> (RFC 3261 §20.25); informational headers an SRS may want and that no
    /// SIP element routes, authenticates or negotiates by.
    /// </summary>
    public static IReadOnlyList<string> ExtraAllowedNames { get; } = ["User-to-User", "Call-Info", "Organization"];

    /// <summary>The one-line description of the policy, for error texts and documentation.</summary>
    public static string Description { get; } =
        "a custom header must be named X-… or one of " + string.Join(", ", ExtraAllowedNames);

    // Every single-letter alias registered with IANA (RFC 3261 §7.3.3, RFC 3515, 3841, 3892, 4028, 4474, 6665, 8224).
    private static readonly Dictionary<char, string> CompactForms = new()
    {
        ['a'] = "Accept-Contact", ['b'] = "Referred-By", ['c'] = "Content-Type", ['d'] = "Request-Disposition",
        ['e'] = "Content-Encoding", ['f'] = "From", ['i'] = "Call-ID", ['j'] = "Reject-Contact", ['k'] = "Supported",
        ['l'] = "Content-Length", ['m'] = "Contact", ['n'] = "Identity-Info", ['o'] = "Event", ['r'] = "Refer-To",
        ['s'] = "Subject", ['t'] = "To", ['u'] = "Allow-Events", ['v'] = "Via", ['x'] = "Session-Expires", ['y'] = "Identity",
    };

    /// <summary>The long name of <paramref name="name"/> when it is a compact form (case-insensitive), else the name itself.</summary>
    public static string FullName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length == 1 && CompactForms.TryGetValue(char.ToLowerInvariant(name[0]), out var full) ? full : name;
    }

    /// <summary>True when <paramref name="name"/> is a SIP token (RFC 3261 §25.1) that the policy allows.</summary>
    public static bool IsAllowed(string name) => Refusal(name) is null;

    /// <summary>Null when <paramref name="name"/> is allowed; otherwise why not, as a printable sentence fragment.</summary>
    public static string? Refusal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!CustomHeaders.IsToken(name))
        {
            return "a header name is a SIP token (letters, digits and - . ! % * _ + ` ' ~)";
        }
        var full = FullName(name);
        if ((full.Length > 2 && full.StartsWith("X-", StringComparison.OrdinalIgnoreCase))
            || ExtraAllowedNames.Contains(full, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }
        var spelled = full == name ? "" : $" (the compact form of {full})";
        return $"{Description}; {name}{spelled} is not";
    }
}
