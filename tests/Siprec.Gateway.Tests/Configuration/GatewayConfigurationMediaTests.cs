using Siprec.Gateway.Configuration;

namespace Siprec.Gateway.Tests.Configuration;

/// <summary>The <c>media</c> object of the gateway configuration: <c>engine</c> and <c>rtpengine</c>.</summary>
public sealed class GatewayConfigurationMediaTests
{
    [Fact]
    public void Media_ChoosesRtpengine_WithItsInstances()
    {
        var options = GatewayConfigurationFile.Parse("""{"media":{"engine":"rtpengine","rtpengine":["udp:127.0.0.1:2223","udp:127.0.0.2:2223=4"]}}""", ".");

        Assert.Equal(GatewayMediaEngine.Rtpengine, options.MediaEngine);
        Assert.Equal(["udp:127.0.0.1:2223=1", "udp:127.0.0.2:2223=4"], options.Rtpengines.Select(i => i.ToString()));
    }

    [Fact]
    public void WithoutMedia_TheEngineIsEmbedded()
    {
        Assert.Equal(GatewayMediaEngine.Embedded, GatewayConfigurationFile.Parse("{}", ".").MediaEngine);
    }

    [Theory]
    [InlineData("""{"media":{"engine":"rtpengine"}}""", "media: engine rtpengine needs at least one address")]
    [InlineData("""{"media":{"engine":"kernel"}}""", "media.engine: must be embedded or rtpengine")]
    [InlineData("""{"media":{"rtpengine":["udp:host:2223"]}}""", "media.rtpengine[0]")]
    [InlineData("""{"media":{"engines":"rtpengine"}}""", "engines")]
    public void BadMedia_FailsNamingTheKey(string json, string message)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, "."));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
