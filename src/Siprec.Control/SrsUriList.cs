namespace Siprec.Control;

/// <summary>
/// Parses the <c>X-Srs-Url</c> value (or the node's evaluated server field): comma-separated SIP URIs, one
/// recorder each, validated per DESIGN §4.2 before anything is sent.
/// </summary>
public static class SrsUriList
{
    /// <summary>The default maximum number of parallel recorders (DESIGN §4.2).</summary>
    public const int DefaultMaxCount = 4;

    /// <summary>
    /// Splits on commas, trims each entry, drops empty ones and accepts only <c>sip:</c>/<c>sips:</c> URIs
    /// (scheme case-insensitive). Never throws on the text.
    /// </summary>
    /// <param name="text">The raw list, e.g. <c>"sip:a@h1, sips:b@h2:5061"</c>.</param>
    /// <param name="maxCount">The most entries allowed (at least 1).</param>
    /// <param name="uris">The trimmed entries in order; empty on failure.</param>
    /// <param name="error">
    /// Null on success; else 400 <see cref="RecordingErrorTexts.MissingSrsUrl"/> (nothing left),
    /// 400 control character, 503 <see cref="RecordingErrorTexts.NotSipUri"/> naming the first offending entry,
    /// 400 malformed SIP URI, or 400 <see cref="RecordingErrorTexts.TooManyRecorders"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is below 1 (a configuration error).</exception>
    public static bool TryParse(string? text, int maxCount, out IReadOnlyList<string> uris, out RecordingControlError? error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        uris = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new RecordingControlError(400, RecordingErrorTexts.MissingSrsUrl);
            return false;
        }

        return TryParse(text.Split(','), maxCount, out uris, out error);
    }

    /// <summary>
    /// Validates a list that is already split (a configured connector's <c>uris</c>), entry by entry with the same rules
    /// and errors as the text form, so a caller never joins a list into text only to split it again.
    /// </summary>
    /// <param name="entries">The entries; each is trimmed, empty ones are dropped.</param>
    /// <param name="maxCount">The most entries allowed (at least 1).</param>
    /// <param name="uris">The trimmed entries in order; empty on failure.</param>
    /// <param name="error">Null on success; else the same errors as <see cref="TryParse(string?, int, out IReadOnlyList{string}, out RecordingControlError?)"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is below 1 (a configuration error).</exception>
    public static bool TryParse(IEnumerable<string> entries, int maxCount, out IReadOnlyList<string> uris, out RecordingControlError? error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        uris = [];
        error = null;
        var accepted = new List<string>();
        foreach (var raw in entries)
        {
            // Checked before trimming: a trailing CR LF would otherwise vanish and hide an injection attempt.
            if (HasForbiddenControlCharacter(raw))
            {
                error = new RecordingControlError(400, RecordingErrorTexts.ControlCharacterInSrsUrl(raw.Trim(' ')));
                return false;
            }
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            if (!HasSipScheme(entry, out var schemeLength))
            {
                error = new RecordingControlError(503, RecordingErrorTexts.NotSipUri(entry));
                return false;
            }
            if (!HasPlausibleHostPart(entry.AsSpan(schemeLength)))
            {
                error = new RecordingControlError(400, RecordingErrorTexts.MalformedSipUri(entry));
                return false;
            }
            accepted.Add(entry);
        }

        if (accepted.Count == 0)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.MissingSrsUrl);
            return false;
        }
        if (accepted.Count > maxCount)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.TooManyRecorders(accepted.Count, maxCount));
            return false;
        }
        uris = accepted;
        return true;
    }

    /// <summary>The list as it travels in <c>X-Srs-Url</c>: entries joined by a bare comma.</summary>
    public static string Format(IEnumerable<string> uris) => string.Join(",", uris);

    internal static bool HasForbiddenControlCharacter(string value)
    {
        foreach (var c in value)
        {
            // TAB is SIP linear white space and is trimmed; every other C0 control, DEL and C1 is refused.
            if (c != '\t' && char.IsControl(c)) return true;
        }
        return false;
    }

    private static bool HasSipScheme(string entry, out int schemeLength)
    {
        if (entry.StartsWith("sips:", StringComparison.OrdinalIgnoreCase)) { schemeLength = 5; return true; }
        if (entry.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)) { schemeLength = 4; return true; }
        schemeLength = 0;
        return false;
    }

    // The full RFC 3261 §19.1 grammar belongs to Siprec.Sip; this layer only refuses what can never be a SIP
    // URI: no host, whitespace or angle brackets inside, or a scheme repeated ("sip://…").
    private static bool HasPlausibleHostPart(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty || rest.StartsWith("//")) return false;
        foreach (var c in rest)
        {
            if (char.IsWhiteSpace(c) || c is '<' or '>' or '"') return false;
        }
        var at = rest.LastIndexOf('@');
        var hostPart = at >= 0 ? rest[(at + 1)..] : rest;
        var end = hostPart.IndexOfAny(";?");
        if (end >= 0) hostPart = hostPart[..end];
        return !hostPart.IsEmpty && hostPart[0] != ':';
    }
}
