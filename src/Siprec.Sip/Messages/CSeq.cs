using System.Globalization;

namespace Siprec.Sip.Messages;

/// <summary>The CSeq header (RFC 3261 §20.16): a 32-bit sequence number and the request method.</summary>
/// <param name="Sequence">The sequence number, below 2^31 when we generate it.</param>
/// <param name="Method">The method, case-sensitive.</param>
public readonly record struct CSeq(uint Sequence, string Method)
{
    /// <summary>Parses <c>1*DIGIT LWS Method</c>; false for a missing method or a number above 2^32-1.</summary>
    public static bool TryParse(string? text, out CSeq value)
    {
        value = default;
        if (text is null) return false;
        var trimmed = text.Trim();
        var split = trimmed.IndexOfAny([' ', '\t']);
        if (split <= 0) return false;
        var number = trimmed[..split];
        var method = trimmed[split..].Trim();
        if (method.Length == 0 || !SipGrammar.IsToken(method)) return false;
        foreach (var ch in number) if (ch is < '0' or > '9') return false;
        if (!uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)) return false;
        value = new CSeq(sequence, method);
        return true;
    }

    /// <summary>The wire form, e.g. <c>1 INVITE</c>.</summary>
    public override string ToString() => Sequence.ToString(CultureInfo.InvariantCulture) + " " + Method;
}
