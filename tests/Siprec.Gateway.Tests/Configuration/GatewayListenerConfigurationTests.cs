using System.Net;
using System.Security.Cryptography.X509Certificates;
using Siprec.Gateway.Configuration;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Configuration;

/// <summary>The configuration file's <c>sip</c> listeners (one or an array, udp/tcp/tls) and <c>tls</c> certificate keys.</summary>
public sealed class GatewayListenerConfigurationTests : IDisposable
{
    private const string Password = "pfx-s3cret";
    private readonly TestCertificates _certificates = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-gw-config-").FullName;

    public GatewayListenerConfigurationTests() =>
        File.WriteAllBytes(Path.Combine(_dir, "gateway.pfx"), _certificates.Server.Export(X509ContentType.Pkcs12, Password));

    [Fact]
    public void SipAsAnArray_TheFirstUdpIsThePrimary_TheRestAreAdditional_AndTheCertificateLoadsRelativeToTheFile()
    {
        var options = GatewayConfigurationFile.Parse($$$"""
            {"sip":["tcp:127.0.0.1:5060","udp:127.0.0.1:5060","tls:127.0.0.1:5061"],
             "tls":{"certificate":"gateway.pfx","password":"{{{Password}}}"}}
            """, _dir);

        using var certificate = options.TlsCertificate;
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5060"), options.SipEndPoint);
        Assert.Equal(["tcp:127.0.0.1:5060", "tls:127.0.0.1:5061"], options.AdditionalListenEndPoints.Select(l => l.ToString()));
        Assert.True(certificate!.HasPrivateKey);
        Assert.Equal(_certificates.Server.Thumbprint, certificate.Thumbprint);
        Assert.Equal(IPAddress.Loopback, options.MediaAddress);
    }

    [Fact]
    public void SipAsAnObject_ReadsListenAndUdpMaxBytes()
    {
        var options = GatewayConfigurationFile.Parse("""{"sip":{"listen":["udp:127.0.0.1:5060","tcp:127.0.0.1:5060"],"udpMaxBytes":9000}}""", _dir);

        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5060"), options.SipEndPoint);
        Assert.Equal(["tcp:127.0.0.1:5060"], options.AdditionalListenEndPoints.Select(l => l.ToString()));
        Assert.Equal(9000, options.UdpMaxBytes);
        Assert.Equal(1300, GatewayConfigurationFile.Parse("""{"sip":{"listen":"udp:127.0.0.1:5060"}}""", _dir).UdpMaxBytes);
    }

    [Theory]
    [InlineData("""{"sip":{"udpMaxBytes":1300}}""", "sip: needs 'listen'")]
    [InlineData("""{"sip":{"listen":"udp:127.0.0.1:5060","udpMaxBytes":70000}}""", "sip.udpMaxBytes")]
    [InlineData("""{"sip":{"listen":"udp:127.0.0.1:5060","udpMaxBytes":-1}}""", "sip.udpMaxBytes")]
    [InlineData("""{"sip":{"listen":"udp:127.0.0.1:5060","mtu":1500}}""", "sip.mtu: unknown key")]
    [InlineData("""{"sip":{"listen":"sctp:127.0.0.1:5060"}}""", "sip.listen: 'sctp:127.0.0.1:5060'")]
    public void SipAsAnObject_NamesTheBadKey(string json, string named)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, _dir));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATlsOnlyGateway_HasNoUdpListener()
    {
        var options = GatewayConfigurationFile.Parse($$$"""{"sip":"tls:127.0.0.1:5061","tls":{"certificate":"gateway.pfx","password":"{{{Password}}}"}}""", _dir);

        using var certificate = options.TlsCertificate;
        Assert.Null(options.SipEndPoint);
        Assert.Equal([new SipListenEndPoint(SipTransportProtocol.Tls, IPEndPoint.Parse("127.0.0.1:5061"))], options.AdditionalListenEndPoints);
    }

    [Theory]
    [InlineData("""{"sip":["udp:127.0.0.1:5060","sctp:127.0.0.1:5060"]}""", "sip[1]: 'sctp:127.0.0.1:5060': unknown transport 'sctp'")]
    [InlineData("""{"sip":[]}""", "sip: needs at least one")]
    [InlineData("""{"sip":["tcp:127.0.0.1:5060","tcp:127.0.0.1:5060"]}""", "sip[1]: 'tcp:127.0.0.1:5060' is listed twice")]
    [InlineData("""{"sip":"tls:127.0.0.1:5061"}""", "tls.certificate: required by the TLS listener tls:127.0.0.1:5061")]
    [InlineData("""{"sip":"udp:127.0.0.1:5060","tls":{"certificate":"gateway.pfx"}}""", "tls.certificate: no tls:HOST:PORT listener in sip")]
    [InlineData("""{"sip":"tls:127.0.0.1:5061","tls":{"certificate":"gateway.pfx","pasword":"x"}}""", "tls.pasword: unknown key")]
    [InlineData("""{"sip":"tls:127.0.0.1:5061","tls":{"password":"x"}}""", "tls.certificate: required")]
    [InlineData("""{"sip":"tls:127.0.0.1:5061","tls":{"certificate":"missing.pfx"}}""", "tls.certificate '")]
    public void ABadListenerOrTlsKey_IsRefused_NamingIt(string json, string named)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, _dir, "gateway.json"));

        Assert.StartsWith("gateway.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongCertificatePassword_IsRefused_NamingTheKeys_ButNotThePassword()
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(
            """{"sip":"tls:127.0.0.1:5061","tls":{"certificate":"gateway.pfx","password":"not-the-password"}}""", _dir, "gateway.json"));

        Assert.StartsWith($"gateway.json: tls.certificate '{Path.Combine(_dir, "gateway.pfx")}': cannot be read", ex.Message, StringComparison.Ordinal);
        Assert.Contains("wrong tls.password?", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
