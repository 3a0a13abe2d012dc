using System.Globalization;

namespace Siprec.Sip.Sdp;

/// <summary>RFC 4566 line parser behind <see cref="SdpSession.TryParse(string, out SdpSession?, out string?)"/>; lenient on order, strict on line shape.</summary>
internal static class SdpParser
{
    public static bool TryParse(string text, out SdpSession? session, out string? error)
    {
        session = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty SDP";
            return false;
        }
        SdpOrigin? origin = null;
        string? name = null;
        SdpConnection? connection = null;
        var attributes = new List<SdpAttribute>();
        var timings = new List<string>();
        var other = new List<string>();
        var media = new List<SdpMediaDescription>();
        MediaBuilder? current = null;
        var sawVersion = false;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r', ' ', '\t');
            if (line.Length == 0) continue;
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = $"line {n + 1} is not '<type>=<value>': '{Shorten(line)}'";
                return false;
            }
            var type = line[0];
            var value = line[2..];
            if (!sawVersion)
            {
                if (type != 'v' || value.Trim() != "0")
                {
                    error = $"SDP must start with v=0 (line {n + 1}: '{Shorten(line)}')";
                    return false;
                }
                sawVersion = true;
                continue;
            }
            switch (type)
            {
                case 'm':
                    if (current is not null) media.Add(current.Build());
                    if (!TryParseMedia(value, out current))
                    {
                        error = $"line {n + 1}: malformed m= line '{Shorten(line)}'";
                        return false;
                    }
                    break;
                case 'c':
                    if (!TryParseConnection(value, out var c))
                    {
                        error = $"line {n + 1}: malformed c= line '{Shorten(line)}'";
                        return false;
                    }
                    if (current is not null) current.Connection = c;
                    else connection = c;
                    break;
                case 'a':
                    var colon = value.IndexOf(':');
                    var attribute = colon < 0 ? new SdpAttribute(value, null) : new SdpAttribute(value[..colon], value[(colon + 1)..]);
                    if (current is not null) current.Attributes.Add(attribute);
                    else attributes.Add(attribute);
                    break;
                case 'o' when current is null:
                    if (!TryParseOrigin(value, out origin))
                    {
                        error = $"line {n + 1}: malformed o= line '{Shorten(line)}'";
                        return false;
                    }
                    break;
                case 's' when current is null:
                    name = value;
                    break;
                case 't' when current is null:
                    timings.Add(value);
                    break;
                default:
                    if (current is not null) current.Other.Add(line);
                    else other.Add(line);
                    break;
            }
        }
        if (current is not null) media.Add(current.Build());
        if (origin is null)
        {
            error = "SDP has no o= line";
            return false;
        }
        session = new SdpSession(origin, string.IsNullOrEmpty(name) ? "-" : name, connection, attributes, media)
        {
            Timings = timings,
            OtherLines = other,
        };
        error = null;
        return true;
    }

    private static bool TryParseOrigin(string value, out SdpOrigin? origin)
    {
        origin = null;
        var f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 6) return false;
        if (!ulong.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return false;
        if (!ulong.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return false;
        origin = new SdpOrigin(f[0], id, version, f[3], f[4], f[5]);
        return true;
    }

    private static bool TryParseConnection(string value, out SdpConnection? connection)
    {
        connection = null;
        var f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 3) return false;
        connection = new SdpConnection(f[0], f[1], f[2]);
        return true;
    }

    private static bool TryParseMedia(string value, out MediaBuilder? media)
    {
        media = null;
        var f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 3) return false;
        var portText = f[1];
        int? count = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var c)) return false;
            count = c;
            portText = portText[..slash];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535) return false;
        media = new MediaBuilder(f[0], port, count, f[2], f[3..]);
        return true;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private sealed class MediaBuilder(string media, int port, int? count, string protocol, string[] formats)
    {
        public SdpConnection? Connection { get; set; }
        public List<SdpAttribute> Attributes { get; } = new();
        public List<string> Other { get; } = new();

        public SdpMediaDescription Build() =>
            new(media, port, protocol, formats, Connection, Attributes) { PortCount = count, OtherLines = Other };
    }
}
