using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;

namespace Siprec.Gateway.Tests;

public sealed class RecordingGatewayDnsTests
{
    [Fact]
    public async Task TheSrc_LocatesSrssThroughTheConfiguredDnsServers_AndAnIpLiteralSendsNoQuery()
    {
        using var dnsServer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Dns = new DnsOptions { Servers = [(IPEndPoint)dnsServer.Client.LocalEndPoint!] },
        };
        await using var gateway = new RecordingGateway(options, TimeProvider.System, NullLoggerFactory.Instance);

        await gateway.StartAsync(CancellationToken.None);
        var targets = await gateway.SrsLocator!.ResolveAsync(SipUri.Parse("sip:srs@127.0.0.1:5080"), CancellationToken.None);

        Assert.IsType<SipServerLocator>(gateway.SrsLocator);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5080), Assert.Single(targets).EndPoint);
        Assert.Equal(0, dnsServer.Available);
    }

    [Fact]
    public async Task WithNoDnsServers_TheGatewayStarts_IpLiteralsResolve_AndHostNamesFailNamingTheSetting()
    {
        var options = new GatewayOptions { SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0), Dns = new DnsOptions() };
        await using var gateway = new RecordingGateway(options, TimeProvider.System, NullLoggerFactory.Instance);

        await gateway.StartAsync(CancellationToken.None);
        var literal = await gateway.SrsLocator!.ResolveAsync(SipUri.Parse("sip:srs@127.0.0.1:5080"), CancellationToken.None);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => gateway.SrsLocator!.ResolveAsync(SipUri.Parse("sip:srs.example.com"), CancellationToken.None));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5080), Assert.Single(literal).EndPoint);
        Assert.Contains("Dns:Servers", ex.Message, StringComparison.Ordinal);
    }
}
