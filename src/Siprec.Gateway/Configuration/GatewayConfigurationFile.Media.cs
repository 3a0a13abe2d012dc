using Newtonsoft.Json.Linq;
using Siprec.Media.Rtp;
using Siprec.Media.Rtpengine;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>media</c> object: <c>engine</c> (<c>embedded</c> | <c>rtpengine</c>), <c>rtpengine</c> (ng addresses,
/// <c>udp:HOST:PORT[=WEIGHT]</c>) and <c>portRange</c> ("LO-HI", the UDP ports of every embedded media socket;
/// <c>--rtp-ports</c> overrides it).
/// </summary>
public static partial class GatewayConfigurationFile
{
    private static readonly string[] MediaKeys = ["engine", "rtpengine", "portRange"];

    private static GatewayOptions ReadMedia(JToken? media, Reader reader, GatewayOptions options)
    {
        if (media is null || media.Type == JTokenType.Null)
            return options;
        var obj = reader.Object(media);
        reader.NoUnknownKeys(obj, MediaKeys);
        if (obj["engine"] is { } engine)
        {
            if (!TryParseMediaEngine(reader.String(engine), out var kind))
                throw reader.Bad(engine, "must be embedded or rtpengine");
            options = options with { MediaEngine = kind };
        }

        if (obj["rtpengine"] is { } rtpengine)
        {
            var instances = new List<RtpengineInstance>();
            var array = reader.Array(rtpengine);
            foreach (var entry in array)
            {
                if (!RtpengineInstance.TryParse(reader.String(entry), out var instance, out var error))
                    throw reader.Bad(entry, error!);
                instances.Add(instance!);
            }
            options = options with { Rtpengines = instances };
        }

        if (obj["portRange"] is { } range)
        {
            if (!RtpPortRange.TryParse(reader.String(range), out var ports, out var rangeError)) throw reader.Bad(range, rangeError!);
            options = options with { RtpPorts = ports };
        }

        if (options.MediaEngine == GatewayMediaEngine.Rtpengine && options.Rtpengines.Count == 0)
            throw reader.Bad(obj, "engine rtpengine needs at least one address in media.rtpengine");
        return options;
    }

    /// <summary>Reads a media engine name (<c>embedded</c>, <c>rtpengine</c>; case-insensitive).</summary>
    public static bool TryParseMediaEngine(string? text, out GatewayMediaEngine engine)
    {
        engine = GatewayMediaEngine.Embedded;
        if (string.Equals(text, "embedded", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!string.Equals(text, "rtpengine", StringComparison.OrdinalIgnoreCase))
            return false;
        engine = GatewayMediaEngine.Rtpengine;
        return true;
    }
}
