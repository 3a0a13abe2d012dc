using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Siprec.Cli.Commands;
using Siprec.Gateway;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

/// <summary><c>siprec gateway</c>: repeatable <c>--sip</c> over udp/tcp/tls, <c>--cert</c> files, and the errors for bad values (exit 2).</summary>
public sealed class GatewayCommandListenTests : IDisposable
{
    private const string Password = ServerCommandFixture.Password;
    private readonly ServerCommandFixture _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Sip_IsRepeatable_FirstUdpIsThePrimary_TheRestAreAdditionalInOrder()
    {
        var (options, error) = GatewayCommand.ParseOptions("--sip", "tcp:127.0.0.2:5060", "--sip", "udp:127.0.0.1:5060", "--sip", "tls:[::1]:5061",
            "--sip", "udp:127.0.0.1:5070", "--cert", WritePfx(), "--cert-password", Password);

        Assert.Null(error);
        using var certificate = options!.TlsCertificate;
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5060"), options.SipEndPoint);
        Assert.Equal(["tcp:127.0.0.2:5060", "tls:[::1]:5061", "udp:127.0.0.1:5070"], options.AdditionalListenEndPoints.Select(l => l.ToString()));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), options.MediaAddress); // the first --sip address, as with one --sip
        Assert.Equal(_server.Certificates.Server.Thumbprint, certificate!.Thumbprint);
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void WithoutSip_TheGatewayListensOnUdp5060Only()
    {
        var (options, error) = GatewayCommand.ParseOptions();

        Assert.Null(error);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5060"), options!.SipEndPoint);
        Assert.Empty(options.AdditionalListenEndPoints);
        Assert.Null(options.TlsCertificate);
    }

    [Fact]
    public void TlsOnly_HasNoUdpListener_AndLoadsAPemWithCertificateAndKey()
    {
        var pem = Write("server.pem", _server.Certificates.Server.ExportCertificatePem() + "\n" + _server.Certificates.Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var (options, error) = GatewayCommand.ParseOptions("--sip", "tls:0.0.0.0:5061", "--cert", pem);

        Assert.Null(error);
        using var certificate = options!.TlsCertificate;
        Assert.Null(options.SipEndPoint);
        Assert.Equal([new SipListenEndPoint(SipTransportProtocol.Tls, IPEndPoint.Parse("0.0.0.0:5061"))], options.AdditionalListenEndPoints);
        Assert.True(certificate!.HasPrivateKey);
    }

    [Fact]
    public void WithAConfigFile_ItsListenersStay_UnlessSipIsGiven()
    {
        var sample = Path.Combine(RepoPaths.Samples, "config", "gateway.json");

        var fromFile = GatewayCommand.ParseOptions("--config", sample);
        var overridden = GatewayCommand.ParseOptions("--config", sample, "--sip", "tcp:127.0.0.1:5090");

        Assert.Null(fromFile.Error);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5060"), fromFile.Options!.SipEndPoint);
        Assert.Equal(["tcp:127.0.0.1:5060"], fromFile.Options.AdditionalListenEndPoints.Select(l => l.ToString()));
        Assert.Null(overridden.Error);
        Assert.Null(overridden.Options!.SipEndPoint);
        Assert.Equal(["tcp:127.0.0.1:5090"], overridden.Options.AdditionalListenEndPoints.Select(l => l.ToString()));
    }

    [Theory]
    [InlineData("sctp:127.0.0.1:5060", "unknown transport 'sctp'; expected udp, tcp or tls")]
    [InlineData("tcp:gateway.example.com:5060", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    [InlineData("tls:[::1]", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    public void ABadSipValue_IsRefused_NamingTheOptionAndValue(string value, string reason)
    {
        var (options, error) = GatewayCommand.ParseOptions("--sip", "udp:127.0.0.1:5060", "--sip", value);

        Assert.Null(options);
        Assert.StartsWith($"--sip '{value}': {reason}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateMistakes_AreRefused_NamingTheOptionAndValue()
    {
        var pfx = WritePfx();
        var missing = Path.Combine(_server.Folder, "missing.pfx");

        var tlsWithoutCert = GatewayCommand.ParseOptions("--sip", "tls:127.0.0.1:5061").Error;
        var certWithoutTls = GatewayCommand.ParseOptions("--sip", "tcp:127.0.0.1:5060", "--cert", pfx, "--cert-password", Password).Error;
        var passwordAlone = GatewayCommand.ParseOptions("--cert-password", Password).Error;
        var notFound = GatewayCommand.ParseOptions("--sip", "tls:127.0.0.1:5061", "--cert", missing).Error;
        var wrongPassword = GatewayCommand.ParseOptions("--sip", "tls:127.0.0.1:5061", "--cert", pfx, "--cert-password", "wrong").Error;

        Assert.Equal("--sip 'tls:127.0.0.1:5061': a tls listener needs --cert FILE (PFX/PKCS#12, or PEM with the certificate and its private key)", tlsWithoutCert);
        Assert.Equal($"--cert '{pfx}': no --sip tls:HOST:PORT is given, so the certificate would not be used", certWithoutTls);
        Assert.Equal("--cert-password: given without --cert", passwordAlone);
        Assert.Equal($"--cert '{missing}': file not found", notFound);
        Assert.StartsWith($"--cert '{pfx}': cannot be read as PFX/PKCS#12 or as PEM certificate + private key (wrong --cert-password?)", wrongPassword, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOptions_ExitWithCode2_AndTheMessageOnStandardError()
    {
        var (exit, output, error) = await RunAsync(new LockedStringWriter(), CancellationToken.None, "--sip", "tcp:127.0.0.1");

        Assert.Equal(2, exit);
        Assert.StartsWith("--sip 'tcp:127.0.0.1': expected udp:HOST:PORT", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Start_PrintsEveryListeningAddress_WithTheUriACallerUses()
    {
        var (exit, output, error) = await ServerCommandFixture.RunUntilStartedAsync(GatewayCommand.Create(), "--sip", "udp:127.0.0.1:0", "--sip", "tcp:127.0.0.1:0", "--sip", "tls:127.0.0.1:0",
            "--cert", WritePfx(), "--cert-password", Password);

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("gateway listening on ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^gateway listening on udp:127\.0\.0\.1:(\d+) \(sip:bot@127\.0\.0\.1:\1\)$", lines[0]);
        Assert.Matches(@"^gateway listening on tcp:127\.0\.0\.1:(\d+) \(sip:bot@127\.0\.0\.1:\1;transport=tcp\)$", lines[1]);
        Assert.Matches(@"^gateway listening on tls:127\.0\.0\.1:(\d+) \(sips:bot@127\.0\.0\.1:\1\)$", lines[2]);
        Assert.DoesNotContain(":0 ", string.Join("\n", lines), StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(LockedStringWriter output, CancellationToken cancellationToken, params string[] args) =>
        ServerCommandFixture.RunAsync(GatewayCommand.Create(), output, cancellationToken, args);

    private string WritePfx() => _server.WritePfx();

    private string Write(string name, string text) => _server.Write(name, text);
}
