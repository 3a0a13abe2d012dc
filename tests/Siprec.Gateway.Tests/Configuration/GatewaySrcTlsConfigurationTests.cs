using System.Security.Cryptography.X509Certificates;
using Siprec.Gateway.Configuration;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Configuration;

/// <summary>The configuration file's <c>srcTls</c> keys: the roots the SRC trusts for TLS recorders, from PEM files.</summary>
public sealed class GatewaySrcTlsConfigurationTests : IDisposable
{
    private readonly TestCertificates _first = new();
    private readonly TestCertificates _second = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-gw-srctls-").FullName;

    public GatewaySrcTlsConfigurationTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "ca"));
        File.WriteAllText(Path.Combine(_dir, "ca", "first.pem"), _first.Authority.ExportCertificatePem());
        // A bundle: two CAs in one file, with a private key block that is not a certificate and is skipped.
        File.WriteAllText(Path.Combine(_dir, "bundle.pem"),
            _first.Authority.ExportCertificatePem() + "\n" + _second.Authority.ExportCertificatePem() + "\n" + _second.Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_dir, "empty.pem"), "not a certificate\n");
        File.WriteAllText(Path.Combine(_dir, "broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    }

    [Fact]
    public void WithoutSrcTls_TheSrcUsesTheSystemStore()
    {
        var options = GatewayConfigurationFile.Parse("""{"sip":"udp:127.0.0.1:5060"}""", _dir);

        Assert.Null(options.SrcTls.TrustedRoots);
        Assert.False(options.SrcTls.CheckCertificateRevocation);
    }

    [Fact]
    public void TrustedRoots_LoadEveryCertificateOfEveryFile_RelativeToTheConfigurationFile()
    {
        var options = GatewayConfigurationFile.Parse("""{"srcTls":{"trustedRoots":["ca/first.pem","bundle.pem"],"checkRevocation":true}}""", _dir);

        var roots = options.SrcTls.TrustedRoots!;
        try
        {
            Assert.Equal([_first.Authority.Thumbprint, _first.Authority.Thumbprint, _second.Authority.Thumbprint], roots.Select(c => c.Thumbprint));
            Assert.All(roots, c => Assert.False(c.HasPrivateKey));
            Assert.True(options.SrcTls.CheckCertificateRevocation);
        }
        finally
        {
            foreach (var root in roots) root.Dispose();
        }
    }

    [Fact]
    public void TheLoadedRoots_ValidateALeafOfThatCa_AndNotOneOfAnother()
    {
        var options = GatewayConfigurationFile.Parse("""{"srcTls":{"trustedRoots":["ca/first.pem"]}}""", _dir);

        using var root = Assert.Single(options.SrcTls.TrustedRoots!);
        Assert.True(Chains(_first.Server, root));
        Assert.False(Chains(_second.Server, root));
    }

    [Theory]
    [InlineData("""{"srcTls":{"trustedRoots":["missing.pem"]}}""", "srcTls.trustedRoots[0] '{dir}missing.pem': file not found")]
    [InlineData("""{"srcTls":{"trustedRoots":["ca/first.pem","empty.pem"]}}""", "srcTls.trustedRoots[1] '{dir}empty.pem': holds no -----BEGIN CERTIFICATE----- block")]
    [InlineData("""{"srcTls":{"trustedRoots":["broken.pem"]}}""", "srcTls.trustedRoots[0] '{dir}broken.pem': cannot be read as PEM certificates")]
    [InlineData("""{"srcTls":{"trustedRoots":["ca"]}}""", "srcTls.trustedRoots[0] '{dir}ca': file not found")]
    [InlineData("""{"srcTls":{"trustedRoots":[]}}""", "srcTls.trustedRoots: needs at least one PEM file")]
    [InlineData("""{"srcTls":{"trustedRoots":"ca/first.pem"}}""", "srcTls.trustedRoots: must be an array")]
    [InlineData("""{"srcTls":{"trustedRoots":[""]}}""", "srcTls.trustedRoots[0]: must be a non-empty string")]
    [InlineData("""{"srcTls":{"trustedRoot":["ca/first.pem"]}}""", "srcTls.trustedRoot: unknown key")]
    [InlineData("""{"srcTls":{"checkRevocation":"yes"}}""", "srcTls.checkRevocation: must be true or false")]
    [InlineData("""{"srcTls":["ca/first.pem"]}""", "srcTls: must be an object")]
    public void ABadSrcTlsKeyOrFile_IsRefused_NamingTheKeyAndTheFile(string json, string named)
    {
        var ex = Assert.Throws<GatewayConfigurationException>(() => GatewayConfigurationFile.Parse(json, _dir, "gateway.json"));

        Assert.StartsWith("gateway.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named.Replace("{dir}", _dir + Path.DirectorySeparatorChar, StringComparison.Ordinal), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ResolvesTheRootsAgainstTheFilesFolder()
    {
        var config = Path.Combine(_dir, "ca", "gateway.json");
        File.WriteAllText(config, """{"srcTls":{"trustedRoots":["first.pem"]}}""");

        var options = GatewayConfigurationFile.Load(config);

        using var root = Assert.Single(options.SrcTls.TrustedRoots!);
        Assert.Equal(_first.Authority.Thumbprint, root.Thumbprint);
    }

    private static bool Chains(X509Certificate2 leaf, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
