using Newtonsoft.Json.Linq;
using Siprec.Media.Rtp;
using Siprec.Media.Rtpengine;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// The <c>media</c> object: <c>engine</c> (<c>embedded</c> | <c>rtpengine</c>), <c>rtpengine</c> (ng addresses,
/// <c>udp:HOST:PORT[=WEIGHT]</c>) and <c>portRange</c> ("LO-HI", the UDP ports of every embedded media socket;
/// <c>--rtp-ports</c> overrides it).
/// </summary>
internal sealed class MediaSection
{
    private static readonly string[] MediaKeys = ["engine", "rtpengine", "portRange"];

    private readonly ConfigurationFileReader _reader;

    public MediaSection(ConfigurationFileReader reader) => _reader = reader;

    public GatewayOptions Read(JToken? media, GatewayOptions options)
    {
        if (media is null || media.Type == JTokenType.Null)
            return options;
        var obj = _reader.Object(media);
        _reader.NoUnknownKeys(obj, MediaKeys);
        if (obj["engine"] is { } engine)
        {
            if (!TryParseEngine(_reader.String(engine), out var kind))
                throw _reader.Bad(engine, "must be embedded or rtpengine");
            options = options with { MediaEngine = kind };
        }

        if (obj["rtpengine"] is { } rtpengine)
        {
            var instances = new List<RtpengineInstance>();
            var array = _reader.Array(rtpengine);
            foreach (var entry in array)
            {
                if (!RtpengineInstance.TryParse(_reader.String(entry), out var instance, out var error))
                    throw _reader.Bad(entry, error!);
                instances.Add(instance!);
            }
            options = options with { Rtpengines = instances };
        }

        if (obj["portRange"] is { } range)
        {
            if (!RtpPortRange.TryParse(_reader.String(range), out var ports, out var rangeError)) throw _reader.Bad(range, rangeError!);
            options = options with { RtpPorts = ports };
        }

        if (options.MediaEngine == GatewayMediaEngine.Rtpengine && options.Rtpengines.Count == 0)
            throw _reader.Bad(obj, "engine rtpengine needs at least one address in media.rtpengine");
        return options;
    }

    /// <summary>Reads a media engine name (<c>embedded</c>, <c>rtpengine</c>; case-insensitive); see <see cref="GatewayConfigurationFile.TryParseMediaEngine"/>.</summary>
    public static bool TryParseEngine(string? text, out GatewayMediaEngine engine)
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
