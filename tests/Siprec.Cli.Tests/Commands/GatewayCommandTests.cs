using System.Net;
using Siprec.Cli.Commands;
using Siprec.Sip.Location;
using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

public sealed class GatewayCommandTests
{
    [Fact]
    public void Dns_IsRepeatable_AndReplacesTheResolvConfServers_InOrder()
    {
        var (options, error) = GatewayCommand.ParseOptions("--dns", "127.0.0.1:5353", "--dns", "[::1]:53");

        Assert.Null(error);
        Assert.Equal([IPEndPoint.Parse("127.0.0.1:5353"), IPEndPoint.Parse("[::1]:53")], options!.Dns.Servers);
    }

    [Fact]
    public void WithoutDns_TheServersComeFromResolvConf()
    {
        var (options, error) = GatewayCommand.ParseOptions();

        Assert.Null(error);
        Assert.Equal(DnsOptions.FromResolvConf().Servers, options!.Dns.Servers);
    }

    [Fact]
    public void Dns_OverridesTheConfigFilesServers()
    {
        var (options, error) = GatewayCommand.ParseOptions("--config", Path.Combine(RepoPaths.Samples, "config", "gateway.json"), "--dns", "127.0.0.2:53");

        Assert.Null(error);
        Assert.Equal([IPEndPoint.Parse("127.0.0.2:53")], options!.Dns.Servers);
        Assert.True(options.Connectors.TryGet("local-srs", out _));
    }

    [Fact]
    public void Dns_WithAHostName_IsRefused_NamingTheValue()
    {
        var (options, error) = GatewayCommand.ParseOptions("--dns", "dns.example.com:53");

        Assert.Null(options);
        Assert.Equal("--dns 'dns.example.com:53': expected HOST:PORT with an IP address, e.g. 127.0.0.1:5353", error);
    }
}
