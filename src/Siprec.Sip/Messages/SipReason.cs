using System.Globalization;

namespace Siprec.Sip.Messages;

/// <summary>
/// One value of a <c>Reason</c> header (RFC 3326 §2): <c>protocol ;cause=N [;text="…"]</c>, e.g.
/// <c>SIP ;cause=507 ;text="storage full"</c>. Says why a BYE or CANCEL was sent; a header may carry one value per protocol
/// (<c>SIP</c>, <c>Q.850</c>).
/// </summary>
/// <param name="Protocol">The protocol the cause belongs to (<c>SIP</c>, <c>Q.850</c>, …), as written.</param>
/// <param name="Cause">The cause code: a SIP status code for <c>SIP</c>, a Q.850 cause value for <c>Q.850</c>.</param>
/// <param name="Text">The readable text, unquoted; null when absent.</param>
public sealed record SipReason(string Protocol, int Cause, string? Text)
{
    /// <summary>
    /// Reads every value of the message's <c>Reason</c> headers; a value that does not follow RFC 3326's grammar (no protocol
    /// token, no numeric <c>cause</c>, an unterminated quoted text) is skipped, never thrown on: the reason only explains.
    /// </summary>
    public static IReadOnlyList<SipReason> ReadAll(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var reasons = new List<SipReason>();
        foreach (var value in message.GetHeaderValues("Reason"))
        {
            if (TryParse(value, out var reason))
                reasons.Add(reason);
        }
        return reasons;
    }

    /// <summary>The first value for <paramref name="protocol"/> (case-insensitive), e.g. <c>SIP</c>; null when none.</summary>
    public static SipReason? Find(SipMessage message, string protocol) =>
        ReadAll(message).FirstOrDefault(r => string.Equals(r.Protocol, protocol, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses one value (<c>reason-value</c> of RFC 3326 §2); false when it does not follow the grammar.</summary>
    public static bool TryParse(string value, out SipReason reason)
    {
        ArgumentNullException.ThrowIfNull(value);
        reason = null!;
        var text = value.Trim();
        var semi = text.IndexOf(';', StringComparison.Ordinal);
        var protocol = (semi < 0 ? text : text[..semi]).Trim();
        if (!SipGrammar.IsToken(protocol) || semi < 0 || !SipGrammar.TryParseParameters(text[semi..], out var parameters))
            return false;
        if (!int.TryParse(SipGrammar.Find(parameters, "cause"), NumberStyles.None, CultureInfo.InvariantCulture, out var cause))
            return false;
        string? readable = null;
        if (SipGrammar.Find(parameters, "text") is { } quoted && !SipGrammar.TryUnquote(quoted, out readable))
            return false;
        reason = new SipReason(protocol, cause, readable);
        return true;
    }

    /// <summary>The header value, <c>protocol ;cause=N ;text="…"</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Protocol} ;cause={Cause}") + (Text is null ? "" : " ;text=" + SipGrammar.Quote(Text));
}
