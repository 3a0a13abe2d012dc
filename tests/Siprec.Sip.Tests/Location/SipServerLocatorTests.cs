using System.Net;
using Moq;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Location;

public sealed class SipServerLocatorTests
{
    private readonly Mock<IDnsResolver> _dns = new(MockBehavior.Strict);

    private void Srv(string name, params SrvRecord[] records) =>
        _dns.Setup(d => d.QuerySrvAsync(name, It.IsAny<CancellationToken>())).ReturnsAsync(records);

    private void Host(string name, params string[] addresses) =>
        _dns.Setup(d => d.QueryAddressesAsync(name, It.IsAny<CancellationToken>())).ReturnsAsync(addresses.Select(IPAddress.Parse).ToArray());

    private Task<IReadOnlyList<SipTarget>> Resolve(string uri) => new SipServerLocator(_dns.Object).ResolveAsync(SipUri.Parse(uri), CancellationToken.None);

    [Fact]
    public async Task IpLiteral_IsOneTarget_WithoutDns()
    {
        var targets = await Resolve("sip:srs@127.0.0.1:5080;transport=tcp");
        Assert.Equal([new SipTarget(new IPEndPoint(IPAddress.Loopback, 5080), SipTransportProtocol.Tcp) { IsTransportExplicit = true }], targets);
    }

    [Fact]
    public async Task HostWithPort_UsesAddressRecordsOnly()
    {
        Host("srs.test", "192.0.2.1", "2001:db8::1");
        var targets = await Resolve("sip:srs.test:5070");
        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5070), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 5070)], targets.Select(t => t.EndPoint));
    }

    [Fact]
    public async Task HostWithoutPort_FollowsSrvByPriority_UdpBeforeTcp()
    {
        Srv("_sip._udp.srs.test", new SrvRecord(20, 0, 5082, "b.srs.test"), new SrvRecord(10, 0, 5081, "a.srs.test"));
        Srv("_sip._tcp.srs.test", new SrvRecord(10, 0, 5090, "a.srs.test"));
        Host("a.srs.test", "192.0.2.1");
        Host("b.srs.test", "192.0.2.2");
        var targets = await Resolve("sip:rec@srs.test");
        Assert.Equal(["udp:192.0.2.1:5081", "udp:192.0.2.2:5082", "tcp:192.0.2.1:5090"], targets.Select(t => t.ToString()));
    }

    [Fact]
    public async Task Sips_UsesSipsTcpSrv_AndChecksTheUriHostInTls()
    {
        Srv("_sips._tcp.srs.test", new SrvRecord(0, 0, 5061, "tls.srs.test"));
        Host("tls.srs.test", "192.0.2.9");
        var target = Assert.Single(await Resolve("sips:rec@srs.test"));
        Assert.Equal(new SipTarget(new IPEndPoint(IPAddress.Parse("192.0.2.9"), 5061), SipTransportProtocol.Tls, "srs.test") { IsTransportExplicit = true }, target);
    }

    [Fact]
    public async Task NoSrvRecords_FallsBackToAddressRecordsOnTheDefaultPort()
    {
        Srv("_sip._tcp.srs.test");
        Host("srs.test", "192.0.2.7");
        var target = Assert.Single(await Resolve("sip:srs.test;transport=tcp"));
        Assert.Equal("tcp:192.0.2.7:5060", target.ToString());
    }

    [Fact]
    public async Task UnsupportedTransportOrScheme_IsASipLocationExceptionNamingIt()
    {
        var ws = await Assert.ThrowsAsync<SipLocationException>(() => Resolve("sip:srs.test;transport=ws"));
        Assert.Contains("transport 'ws'", ws.Message);
        var tel = await Assert.ThrowsAsync<SipLocationException>(() => Resolve("tel:+15551234"));
        Assert.Contains("scheme 'tel'", tel.Message);
    }

    [Fact]
    public void Order_SortsByPriority_AndPicksByWeightWithinAPriority()
    {
        var records = new[] { new SrvRecord(2, 0, 1, "z"), new SrvRecord(1, 90, 2, "heavy"), new SrvRecord(1, 10, 3, "light") };
        var heavyFirst = 0;
        var random = new Random(2782);
        for (var i = 0; i < 1000; i++)
        {
            var ordered = SipServerLocator.Order(records, random);
            Assert.Equal("z", ordered[2].Target);
            if (ordered[0].Target == "heavy") heavyFirst++;
        }
        Assert.InRange(heavyFirst, 800, 980);
    }
}
