using Newtonsoft.Json.Linq;
using Siprec.Media.Rtp;

namespace Siprec.Gateway.Configuration;

// The "media" section: how the gateway's media plane binds.
public static partial class GatewayConfigurationFile
{
    private static readonly string[] MediaKeys = ["portRange"];

    /// <summary>Reads <c>media</c>: <c>portRange</c> ("LO-HI", the UDP ports of every media socket; <c>--rtp-ports</c> overrides it).</summary>
    private static GatewayOptions ReadMedia(JToken token, Reader reader, GatewayOptions options)
    {
        var media = reader.Object(token);
        reader.NoUnknownKeys(media, MediaKeys);
        if (media["portRange"] is { } range)
        {
            if (!RtpPortRange.TryParse(reader.String(range), out var ports, out var error)) throw reader.Bad(range, error!);
            options = options with { RtpPorts = ports };
        }
        return options;
    }
}
