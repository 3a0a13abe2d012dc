using System.Text;

namespace Siprec.Sip.Sdp;

/// <summary>
/// A session description (RFC 4566) as offered and answered (RFC 3264). Unknown attributes and other lines
/// (<c>i=</c>, <c>b=</c>, <c>z=</c>, …) are kept so an answer can be built from an offer without loss.
/// </summary>
/// <param name="Origin">The <c>o=</c> line.</param>
/// <param name="SessionName">The <c>s=</c> value (<c>-</c> when none).</param>
/// <param name="Connection">Session-level <c>c=</c>, or null.</param>
/// <param name="Attributes">Session-level attributes in order.</param>
/// <param name="Media">The m= sections in order; SIPREC matches offer and answer by position.</param>
public sealed record SdpSession(SdpOrigin Origin, string SessionName, SdpConnection? Connection,
    IReadOnlyList<SdpAttribute> Attributes, IReadOnlyList<SdpMediaDescription> Media)
{
    /// <summary>The <c>t=</c> values in order; serialized as <c>t=0 0</c> when empty.</summary>
    public IReadOnlyList<string> Timings { get; init; } = ["0 0"];

    /// <summary>Other session-level lines (<c>i= u= e= p= b= r= z= k=</c>) as <c>x=value</c>, kept in order.</summary>
    public IReadOnlyList<string> OtherLines { get; init; } = Array.Empty<string>();

    /// <summary>The connection for <paramref name="media"/>: its own <c>c=</c>, else the session's (RFC 4566 §5.7).</summary>
    public SdpConnection? ConnectionFor(SdpMediaDescription media) => media.Connection ?? Connection;

    /// <summary>The direction of <paramref name="media"/>: its own attribute, else the session-level one, else sendrecv.</summary>
    public SdpDirection DirectionOf(SdpMediaDescription media) =>
        SdpMediaDescription.FindDirection(media.Attributes) ?? SdpMediaDescription.FindDirection(Attributes) ?? SdpDirection.SendRecv;

    /// <summary>The value of the first session-level attribute named <paramref name="name"/> (empty for a flag), or null.</summary>
    public string? GetAttribute(string name)
    {
        foreach (var a in Attributes)
        {
            if (string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) return a.Value ?? "";
        }
        return null;
    }

    /// <summary>Parses SDP text with CRLF or bare LF lines; false with a reason naming the line (never throws).</summary>
    public static bool TryParse(string text, out SdpSession? session, out string? error) => SdpParser.TryParse(text, out session, out error);

    /// <summary>Parses SDP bytes as UTF-8 (see <see cref="TryParse(string, out SdpSession?, out string?)"/>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out SdpSession? session, out string? error) =>
        SdpParser.TryParse(Encoding.UTF8.GetString(bytes), out session, out error);

    /// <summary>The SDP text: CRLF lines in RFC 4566 §5 order (v o s i u e p c b t r z k a, then media).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(512);
        builder.Append("v=0\r\n");
        builder.Append("o=").Append(Origin.ToString()).Append("\r\n");
        builder.Append("s=").Append(SessionName.Length == 0 ? "-" : SessionName).Append("\r\n");
        AppendOther(builder, "iuep");
        if (Connection is not null) builder.Append("c=").Append(Connection.ToString()).Append("\r\n");
        AppendOther(builder, "b");
        if (Timings.Count == 0) builder.Append("t=0 0\r\n");
        foreach (var t in Timings) builder.Append("t=").Append(t).Append("\r\n");
        AppendOther(builder, "rzk");
        foreach (var a in Attributes) builder.Append("a=").Append(a.ToString()).Append("\r\n");
        foreach (var m in Media) m.AppendTo(builder);
        return builder.ToString();
    }

    /// <summary>The SDP as UTF-8 bytes, ready to be a body part.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    private void AppendOther(StringBuilder builder, string types)
    {
        foreach (var line in OtherLines)
        {
            if (line.Length > 1 && types.Contains(line[0])) builder.Append(line).Append("\r\n");
        }
    }
}
