using Siprec.Gateway.Cluster;

namespace Siprec.Gateway.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void Validate_RefusesARegistryWithoutAnAdvertisedUrl()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterOptions { Redis = "127.0.0.1:6379" }.Validate());

        Assert.Contains("AdvertiseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesAHeartbeatThatDoesNotBeatTheTtl()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClusterOptions { Ttl = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromSeconds(3) }.Validate());

        Assert.Contains("HeartbeatInterval", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gw-a", true)]
    [InlineData("node_1.eu", true)]
    [InlineData("", false)]
    [InlineData("a:b", false)]
    [InlineData("a*", false)]
    public void IsToken_AcceptsOnlyCharactersSafeInAKeyAndALogLine(string text, bool expected) =>
        Assert.Equal(expected, ClusterOptions.IsToken(text));

    [Fact]
    public void Keys_AreNamespacedByCluster()
    {
        var keys = new ClusterKeys("eu-1");

        Assert.Equal("siprec:eu-1:node:gw-a", keys.Node("gw-a"));
        Assert.Equal("siprec:eu-1:call:CA1", keys.Call("CA1"));
        Assert.Equal("siprec:eu-1:siprec:SR1", keys.Session("SR1"));
    }
}
