using Siprec.Gateway.Configuration;

namespace Siprec.Gateway.Tests.Configuration;

public sealed class GatewayClusterConfigurationTests
{
    [Fact]
    public void Parse_ReadsTheClusterSection()
    {
        var options = GatewayConfigurationFile.Parse("""
            {"http":"127.0.0.1:8080","cluster":{"redis":"127.0.0.1:6379","name":"eu-1","nodeId":"gw-7","advertiseUrl":"http://10.0.0.7:8080",
             "ttlSecs":9,"heartbeatMs":1500,"orphanWindowSecs":30,"drainTimeoutSecs":600,"drainRetryAfterSecs":10}}
            """, ".");

        var cluster = options.Cluster;
        Assert.Equal("127.0.0.1:6379", cluster.Redis);
        Assert.Equal("eu-1", cluster.Name);
        Assert.Equal("gw-7", cluster.NodeId);
        Assert.Equal(new Uri("http://10.0.0.7:8080"), cluster.AdvertiseUrl);
        Assert.Equal(TimeSpan.FromSeconds(9), cluster.Ttl);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), cluster.EffectiveHeartbeat);
        Assert.Equal(TimeSpan.FromSeconds(30), cluster.OrphanWindow);
        Assert.Equal(TimeSpan.FromMinutes(10), cluster.DrainTimeout);
        Assert.Equal(10, cluster.DrainRetryAfterSecs);
    }

    [Fact]
    public void Parse_WithoutClusterSection_KeepsTheDefaults_NoRegistryAndAnHourOfDrain()
    {
        var cluster = GatewayConfigurationFile.Parse("{}", ".").Cluster;

        Assert.Null(cluster.Redis);
        Assert.Equal(TimeSpan.FromHours(1), cluster.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), cluster.EffectiveHeartbeat);
        cluster.Validate();
    }

    [Theory]
    [InlineData("""{"cluster":{"redis":"127.0.0.1:6379"}}""", "cluster: needs 'advertiseUrl'")]
    [InlineData("""{"cluster":{"ttlSecs":5,"heartbeatMs":5000}}""", "cluster.heartbeatMs: must be less than ttlSecs")]
    [InlineData("""{"cluster":{"nodeId":"gw 1"}}""", "cluster.nodeId: 'gw 1' must be 1-64 letters")]
    [InlineData("""{"cluster":{"advertiseUrl":"http://10.0.0.1:8080/api"}}""", "cluster.advertiseUrl: 'http://10.0.0.1:8080/api' is not an absolute http or https URL")]
    [InlineData("""{"cluster":{"ttlSecs":1}}""", "cluster.ttlSecs")]
    [InlineData("""{"cluster":{"drainTimeout":5}}""", "cluster.drainTimeout")]
    public void Parse_RefusesABadClusterKey_NamingIt(string json, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, ".", "gw.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NeverShowsTheRedisPasswordInAMessage()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() =>
            GatewayConfigurationFile.Parse("""{"cluster":{"redis":"127.0.0.1:6379,password=s3cret-pw","ttlSecs":"x"}}""", ".", "gw.json"));

        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }
}
