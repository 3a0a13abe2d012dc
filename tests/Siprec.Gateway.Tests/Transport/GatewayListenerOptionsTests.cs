using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Transport;

/// <summary>The gateway's listener options are checked at start with errors naming the option and value; a bind failure closes what was bound.</summary>
public sealed class GatewayListenerOptionsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    private static SipListenEndPoint Tls(int port = 0) => new(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, port));

    private static async Task<ArgumentException> StartFails(GatewayOptions options)
    {
        await using var gateway = new RecordingGateway(options, TimeProvider.System, NullLoggerFactory.Instance);
        return await Assert.ThrowsAnyAsync<ArgumentException>(() => gateway.StartAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ATlsListenerWithoutACertificate_IsRefused_NamingTheListener()
    {
        var error = await StartFails(new GatewayOptions { SipEndPoint = null, AdditionalListenEndPoints = [Tls(5061)] });

        Assert.Equal("TlsCertificate", error.ParamName);
        Assert.Contains("TlsCertificate is required for the TLS listener tls:127.0.0.1:5061", error.Message);
    }

    [Fact]
    public async Task ACertificateWithoutItsPrivateKey_IsRefused_NamingItsSubject()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_certificates.Server.RawData);

        var error = await StartFails(new GatewayOptions { AdditionalListenEndPoints = [Tls()], TlsCertificate = publicOnly });

        Assert.Equal("TlsCertificate", error.ParamName);
        Assert.Contains("'CN=localhost'", error.Message);
        Assert.Contains("has no private key", error.Message);
    }

    [Fact]
    public async Task NoListenerAtAll_IsRefused()
    {
        var error = await StartFails(new GatewayOptions { SipEndPoint = null });

        Assert.Equal("SipEndPoint", error.ParamName);
        Assert.Contains("no SIP listener for calls", error.Message);
    }

    [Fact]
    public async Task TheSameListenerTwice_IsRefused_NamingIt()
    {
        var tcp = new SipListenEndPoint(SipTransportProtocol.Tcp, IPEndPoint.Parse("127.0.0.1:5062"));

        var error = await StartFails(new GatewayOptions { AdditionalListenEndPoints = [tcp, tcp] });

        Assert.Contains("listen end point tcp:127.0.0.1:5062 is given twice", error.Message);
    }

    [Fact]
    public async Task BadStreamLimits_AreRefusedWhenThereIsAStreamListener()
    {
        var error = await StartFails(new GatewayOptions
        {
            AdditionalListenEndPoints = [new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 0))],
            StreamTransport = new StreamTransportOptions { MaxMessageSize = 100 },
        });

        Assert.Equal("MaxMessageSize", error.ParamName);
    }

    [Fact]
    public async Task AListenerWhosePortIsTaken_FailsToStart_AndTheListenersBoundBeforeItAreClosed()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((IPEndPoint)occupant.LocalEndpoint).Port;
        using var udpProbe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var udpPort = ((IPEndPoint)udpProbe.Client.LocalEndPoint!).Port;
        udpProbe.Dispose(); // a free UDP port the gateway binds first

        await using (var gateway = new RecordingGateway(new GatewayOptions
                     {
                         SipEndPoint = new IPEndPoint(IPAddress.Loopback, udpPort),
                         AdditionalListenEndPoints = [new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, taken))],
                     }, TimeProvider.System, NullLoggerFactory.Instance))
        {
            await Assert.ThrowsAnyAsync<SocketException>(() => gateway.StartAsync(CancellationToken.None));
            Assert.Throws<InvalidOperationException>(() => gateway.ListenEndPoints);
        }

        // The UDP listener bound before the failure was closed: its port can be bound again.
        using var rebind = new UdpClient(new IPEndPoint(IPAddress.Loopback, udpPort));
        Assert.Equal(udpPort, ((IPEndPoint)rebind.Client.LocalEndPoint!).Port);
    }

    [Theory]
    [InlineData("udp:127.0.0.1:5060", SipTransportProtocol.Udp, "sip:bot@127.0.0.1:5060")]
    [InlineData("127.0.0.1:5060", SipTransportProtocol.Udp, "sip:bot@127.0.0.1:5060")]
    [InlineData("TCP:127.0.0.1:5060", SipTransportProtocol.Tcp, "sip:bot@127.0.0.1:5060;transport=tcp")]
    [InlineData("tls:[::1]:5061", SipTransportProtocol.Tls, "sips:bot@[::1]:5061")]
    public void AListenAddress_ParsesWithItsTransport_AndGivesTheContactForIt(string text, SipTransportProtocol transport, string uri)
    {
        Assert.True(SipListenEndPoint.TryParse(text, out var listen, out var why), why);

        Assert.Equal(transport, listen!.Transport);
        Assert.Equal(uri, listen.ToUri("bot").ToString());
    }

    [Theory]
    [InlineData("sctp:127.0.0.1:5060", "unknown transport 'sctp'; expected udp, tcp or tls")]
    [InlineData("tcp:127.0.0.1", "expected udp:HOST:PORT")]
    [InlineData("tls:gateway.example.com:5061", "expected udp:HOST:PORT")]
    public void ABadListenAddress_IsRefused_SayingWhy(string text, string why)
    {
        Assert.False(SipListenEndPoint.TryParse(text, out var listen, out var error));

        Assert.Null(listen);
        Assert.StartsWith(why, error);
    }

    public void Dispose() => _certificates.Dispose();
}
