using System.Globalization;
using System.Text;

namespace Siprec.Sip.Sdp;

/// <summary>One <c>m=</c> section (RFC 4566 §5.14) with its media-level <c>c=</c> and attributes.</summary>
/// <param name="Media">Media type, e.g. <c>audio</c>.</param>
/// <param name="Port">Transport port; 0 declines the stream (RFC 3264 §6).</param>
/// <param name="Protocol">e.g. <c>RTP/AVP</c>, <c>RTP/SAVP</c>.</param>
/// <param name="Formats">Payload types or format tokens in preference order.</param>
/// <param name="Connection">Media-level connection, or null to use the session's.</param>
/// <param name="Attributes">Attributes in order, unknown ones kept.</param>
public sealed record SdpMediaDescription(string Media, int Port, string Protocol, IReadOnlyList<string> Formats,
    SdpConnection? Connection, IReadOnlyList<SdpAttribute> Attributes)
{
    /// <summary>The optional <c>/number-of-ports</c> of the m= line.</summary>
    public int? PortCount { get; init; }

    /// <summary>Other media-level lines (<c>i=</c>, <c>b=</c>, <c>k=</c>) as <c>x=value</c>, kept in order.</summary>
    public IReadOnlyList<string> OtherLines { get; init; } = Array.Empty<string>();

    /// <summary>The direction attribute of this section; <see cref="SdpDirection.SendRecv"/> when none (RFC 4566 §6).</summary>
    public SdpDirection Direction => FindDirection(Attributes) ?? SdpDirection.SendRecv;

    /// <summary>The <c>a=label</c> value (RFC 4574), used by SIPREC to tie streams to metadata, or null.</summary>
    public string? Label => GetAttribute("label");

    /// <summary>The value of the first attribute named <paramref name="name"/> (empty for a flag), or null.</summary>
    public string? GetAttribute(string name)
    {
        foreach (var a in Attributes)
        {
            if (string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) return a.Value ?? "";
        }
        return null;
    }

    /// <summary>A copy whose direction attribute is <paramref name="direction"/>, at the old one's place or appended.</summary>
    public SdpMediaDescription WithDirection(SdpDirection direction)
    {
        var attributes = new List<SdpAttribute>(Attributes.Count + 1);
        var placed = false;
        foreach (var a in Attributes)
        {
            if (ToDirection(a) is null) attributes.Add(a);
            else if (!placed)
            {
                attributes.Add(new SdpAttribute(Name(direction), null));
                placed = true;
            }
        }
        if (!placed) attributes.Add(new SdpAttribute(Name(direction), null));
        return this with { Attributes = attributes };
    }

    internal static SdpDirection? FindDirection(IReadOnlyList<SdpAttribute> attributes)
    {
        foreach (var a in attributes)
        {
            if (ToDirection(a) is { } d) return d;
        }
        return null;
    }

    private static SdpDirection? ToDirection(SdpAttribute a) => a.Value is not null ? null : a.Name.ToLowerInvariant() switch
    {
        "sendrecv" => SdpDirection.SendRecv,
        "sendonly" => SdpDirection.SendOnly,
        "recvonly" => SdpDirection.RecvOnly,
        "inactive" => SdpDirection.Inactive,
        _ => null,
    };

    private static string Name(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    internal void AppendTo(StringBuilder builder)
    {
        builder.Append("m=").Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount is { } count) builder.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        builder.Append(' ').Append(Protocol);
        foreach (var f in Formats) builder.Append(' ').Append(f);
        builder.Append("\r\n");
        foreach (var line in OtherLines) if (line.StartsWith("i=", StringComparison.Ordinal)) builder.Append(line).Append("\r\n");
        if (Connection is not null) builder.Append("c=").Append(Connection.ToString()).Append("\r\n");
        foreach (var line in OtherLines) if (!line.StartsWith("i=", StringComparison.Ordinal)) builder.Append(line).Append("\r\n");
        foreach (var a in Attributes) builder.Append("a=").Append(a.ToString()).Append("\r\n");
    }
}
