namespace Siprec.Control;

/// <summary>
/// What goes on the INFO for a recording request: extension headers in wire order and an optional JSON body
/// carrying custom headers for the SRS; DESIGN §4.1.
/// </summary>
/// <param name="Headers">Header name/value pairs in the order they are written.</param>
/// <param name="ContentType"><c>application/json</c> when <paramref name="Body"/> is set, else null.</param>
/// <param name="Body">The JSON object text (UTF-8 on the wire), or null for no body.</param>
public sealed record InfoRequestContent(IReadOnlyList<KeyValuePair<string, string>> Headers, string? ContentType, string? Body)
{
    /// <summary>The first value of a header (case-insensitive name), or null; convenient for tests and logs.</summary>
    public string? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) return header.Value;
        }
        return null;
    }
}
