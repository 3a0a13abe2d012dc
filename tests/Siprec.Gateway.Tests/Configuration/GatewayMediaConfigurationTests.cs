using Siprec.Gateway.Configuration;

namespace Siprec.Gateway.Tests.Configuration;

/// <summary>The configuration file's <c>media</c> section (issue 14): <c>portRange</c>.</summary>
public sealed class GatewayMediaConfigurationTests
{
    [Fact]
    public void PortRange_IsRead_AndWithoutIt_TheEphemeralRangeIsUsed()
    {
        var options = GatewayConfigurationFile.Parse("""{ "media": { "portRange": "20000-29999" } }""", ".");
        Assert.Equal(20000, options.RtpPorts!.Low);
        Assert.Equal(29999, options.RtpPorts.High);
        Assert.Null(GatewayConfigurationFile.Parse("{}", ".").RtpPorts);
    }

    [Theory]
    [InlineData("""{ "media": { "portRange": "20000" } }""", "gw.json: media.portRange: '20000' is not LO-HI")]
    [InlineData("""{ "media": { "portRange": "30000-20000" } }""", "gw.json: media.portRange: '30000-20000': ports must be 1 to 65535 with LO below HI")]
    [InlineData("""{ "media": { "portRange": 20000 } }""", "gw.json: media.portRange")]
    [InlineData("""{ "media": { "ports": "20000-29999" } }""", "ports")]
    [InlineData("""{ "media": "20000-29999" }""", "gw.json: media: must be an object")]
    public void ABadMediaSection_IsRefused_NamingTheKey(string json, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, ".", "gw.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
