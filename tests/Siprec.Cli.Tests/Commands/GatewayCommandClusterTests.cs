using Siprec.Cli.Commands;

namespace Siprec.Cli.Tests.Commands;

public sealed class GatewayCommandClusterTests
{
    [Fact]
    public void ClusterRedis_AdvertisesTheRestAddress_WhenNoUrlIsGiven()
    {
        var (options, error) = GatewayCommand.ParseOptions("--http", "127.0.0.1:8080", "--cluster-redis", "127.0.0.1:6379", "--node-id", "gw-a", "--drain-timeout", "120");

        Assert.Null(error);
        Assert.Equal("127.0.0.1:6379", options!.Cluster.Redis);
        Assert.Equal("gw-a", options.Cluster.NodeId);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), options.Cluster.AdvertiseUrl);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Cluster.DrainTimeout);
    }

    [Fact]
    public void AdvertiseUrl_OverridesTheRestAddress()
    {
        var (options, error) = GatewayCommand.ParseOptions("--http", "0.0.0.0:8080", "--cluster-redis", "redis:6379", "--advertise-url", "http://10.0.0.5:8080");

        Assert.Null(error);
        Assert.Equal(new Uri("http://10.0.0.5:8080"), options!.Cluster.AdvertiseUrl);
    }

    [Theory]
    [InlineData(new[] { "--cluster-redis", "127.0.0.1:6379" }, "--cluster-redis needs --http")]
    [InlineData(new[] { "--node-id", "gw a" }, "--node-id 'gw a'")]
    [InlineData(new[] { "--advertise-url", "10.0.0.5:8080" }, "--advertise-url '10.0.0.5:8080'")]
    [InlineData(new[] { "--drain-timeout", "0" }, "--drain-timeout 0")]
    public void BadClusterOptions_AreRefusedNamingTheOption(string[] args, string expected)
    {
        var (options, error) = GatewayCommand.ParseOptions(args);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
