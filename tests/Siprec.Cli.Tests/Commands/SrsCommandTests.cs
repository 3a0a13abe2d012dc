using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Siprec.Cli.Commands;
using Siprec.Recorder;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

/// <summary><c>siprec srs</c>: repeatable <c>--listen</c> over udp/tcp/tls, <c>--cert</c> files, and the errors for bad values (exit 2).</summary>
public sealed class SrsCommandTests : IDisposable
{
    private const string Password = ServerCommandFixture.Password;
    private readonly ServerCommandFixture _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Listen_IsRepeatable_FirstUdpIsThePrimary_TheRestAreAdditionalInOrder()
    {
        var (options, error) = SrsCommand.ParseOptions("--listen", "tcp:127.0.0.1:5080", "--listen", "udp:127.0.0.1:5080", "--listen", "tls:[::1]:5081",
            "--listen", "udp:127.0.0.1:5090", "--cert", WritePfx(), "--cert-password", Password);

        Assert.Null(error);
        using var certificate = options!.TlsCertificate;
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5080"), options.SipEndPoint);
        Assert.Equal(["tcp:127.0.0.1:5080", "tls:[::1]:5081", "udp:127.0.0.1:5090"], options.AdditionalListenEndPoints.Select(l => l.ToString()));
        Assert.True(certificate!.HasPrivateKey);
        Assert.Equal(_server.Certificates.Server.Thumbprint, certificate.Thumbprint);
    }

    [Fact]
    public void WithoutListen_TheSrsListensOnUdp5080Only()
    {
        var (options, error) = SrsCommand.ParseOptions();

        Assert.Null(error);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5080"), options!.SipEndPoint);
        Assert.Empty(options.AdditionalListenEndPoints);
        Assert.Null(options.TlsCertificate);
    }

    [Fact]
    public void TlsOnly_HasNoUdpListener_AndLoadsAPemWithCertificateAndKey()
    {
        var pem = Write("server.pem", _server.Certificates.Server.ExportCertificatePem() + "\n" + _server.Certificates.Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var (options, error) = SrsCommand.ParseOptions("--listen", "tls:0.0.0.0:5061", "--cert", pem);

        Assert.Null(error);
        using var certificate = options!.TlsCertificate;
        Assert.Null(options.SipEndPoint);
        Assert.Equal([new SipListenEndPoint(SipTransportProtocol.Tls, IPEndPoint.Parse("0.0.0.0:5061"))], options.AdditionalListenEndPoints);
        Assert.True(certificate!.HasPrivateKey);
        Assert.Equal(_server.Certificates.Server.Thumbprint, certificate.Thumbprint);
    }

    [Fact]
    public void AnEncryptedPemKey_LoadsWithItsPassword()
    {
        var key = _server.Certificates.Server.GetRSAPrivateKey()!.ExportEncryptedPkcs8PrivateKeyPem(Password,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        var pem = Write("encrypted.pem", _server.Certificates.Server.ExportCertificatePem() + "\n" + key);

        var withoutPassword = SrsCommand.ParseOptions("--listen", "tls:127.0.0.1:5061", "--cert", pem);
        var withPassword = SrsCommand.ParseOptions("--listen", "tls:127.0.0.1:5061", "--cert", pem, "--cert-password", Password);

        Assert.Equal($"--cert '{pem}': the private key is encrypted; give its password with --cert-password", withoutPassword.Error);
        Assert.Null(withPassword.Error);
        using var certificate = withPassword.Options!.TlsCertificate;
        Assert.True(certificate!.HasPrivateKey);
    }

    [Theory]
    [InlineData("sctp:127.0.0.1:5060", "unknown transport 'sctp'")]
    [InlineData("tcp:srs.example.com:5060", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    [InlineData("tls:[::1]", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    public void ABadListenValue_IsRefused_NamingTheOptionAndValue(string value, string reason)
    {
        var (options, error) = SrsCommand.ParseOptions("--listen", "udp:127.0.0.1:5080", "--listen", value);

        Assert.Null(options);
        Assert.StartsWith($"--listen '{value}': ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsWithoutCert_IsRefused()
    {
        var (options, error) = SrsCommand.ParseOptions("--listen", "tls:127.0.0.1:5061");

        Assert.Null(options);
        Assert.Equal("--listen 'tls:127.0.0.1:5061': a tls listener needs --cert FILE (PFX/PKCS#12, or PEM with the certificate and its private key)", error);
    }

    [Fact]
    public void CertWithoutATlsListener_IsRefused()
    {
        var pfx = WritePfx();

        var (_, error) = SrsCommand.ParseOptions("--listen", "tcp:127.0.0.1:5060", "--cert", pfx, "--cert-password", Password);

        Assert.Equal($"--cert '{pfx}': no --listen tls:HOST:PORT is given, so the certificate would not be used", error);
    }

    [Fact]
    public void CertProblems_AreRefused_NamingTheFile()
    {
        var missing = Path.Combine(_server.Folder, "missing.pfx");
        var pfx = WritePfx();
        var certificateOnly = Write("cert-only.pem", _server.Certificates.Server.ExportCertificatePem());

        var notFound = SrsCommand.ParseOptions("--listen", "tls:127.0.0.1:5061", "--cert", missing).Error;
        var wrongPassword = SrsCommand.ParseOptions("--listen", "tls:127.0.0.1:5061", "--cert", pfx, "--cert-password", "wrong").Error;
        var noKey = SrsCommand.ParseOptions("--listen", "tls:127.0.0.1:5061", "--cert", certificateOnly).Error;
        var passwordAlone = SrsCommand.ParseOptions("--cert-password", Password).Error;

        Assert.Equal($"--cert '{missing}': file not found", notFound);
        Assert.StartsWith($"--cert '{pfx}': cannot be read as PFX/PKCS#12 or as PEM certificate + private key (wrong --cert-password?)", wrongPassword, StringComparison.Ordinal);
        Assert.StartsWith($"--cert '{certificateOnly}': the PEM file has no private key", noKey, StringComparison.Ordinal);
        Assert.Equal("--cert-password: given without --cert", passwordAlone);
    }

    [Fact]
    public async Task BadOptions_ExitWithCode2_AndTheMessageOnStandardError()
    {
        var (exit, output, error) = await RunAsync(new LockedStringWriter(), CancellationToken.None, "--listen", "tls:127.0.0.1:5061");

        Assert.Equal(2, exit);
        Assert.Contains("--listen 'tls:127.0.0.1:5061': a tls listener needs --cert FILE", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public void SessionLimits_AreReadIntoTheOptions_AndThePerSourceLimitDefaultsToHalf()
    {
        var (options, error) = SrsCommand.ParseOptions("--max-sessions", "200", "--max-sessions-per-source", "50", "--media-timeout", "2.5");
        var (defaults, _) = SrsCommand.ParseOptions("--max-sessions", "10");

        Assert.Null(error);
        Assert.Equal(200, options!.MaxConcurrentSessions);
        Assert.Equal(50, options.MaxSessionsPerSource);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.MediaTimeout);
        Assert.Null(defaults!.MaxSessionsPerSource);
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.MediaTimeout);
    }

    [Theory]
    [InlineData("--max-sessions", "0", "--max-sessions 0: must be at least 1")]
    [InlineData("--max-sessions-per-source", "0", "--max-sessions-per-source 0: must be at least 1")]
    [InlineData("--media-timeout", "-1", "--media-timeout -1: must be 0 (off) to 86400 seconds")]
    public void ALimitOutOfRange_IsRefused_NamingTheOption(string option, string value, string message) =>
        Assert.Equal(message, SrsCommand.ParseOptions(option, value).Error);

    [Fact]
    public async Task AnOutFolderThatCannotBeWritten_ExitsWithCode1_NamingIt_WithoutAStackTrace()
    {
        var file = Write("not-a-folder", "x");
        var folder = Path.Combine(file, "recordings");

        var (exit, output, error) = await RunAsync(new LockedStringWriter(), CancellationToken.None, "--listen", "udp:127.0.0.1:0", "--out", folder);

        Assert.Equal(1, exit);
        Assert.StartsWith($"--out {folder}: the recording folder {folder} is not writable: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SRS listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CertPasswordWithoutCert_IsRefused() =>
        Assert.Equal("--cert-password: given without --cert", SrsCommand.ParseOptions("--cert-password", Password).Error);

    [Fact]
    public async Task Start_PrintsEveryListeningAddress_WithTheUriAnSrcUses()
    {
        var (exit, output, error) = await ServerCommandFixture.RunUntilStartedAsync(SrsCommand.Create(), "--listen", "udp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0", "--listen", "tls:127.0.0.1:0",
            "--cert", WritePfx(), "--cert-password", Password, "--out", Path.Combine(_server.Folder, "recordings"));

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("SRS listening on ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^SRS listening on udp:127\.0\.0\.1:(\d+) \(sip:srs@127\.0\.0\.1:\1\)$", lines[0]);
        Assert.Matches(@"^SRS listening on tcp:127\.0\.0\.1:(\d+) \(sip:srs@127\.0\.0\.1:\1;transport=tcp\)$", lines[1]);
        Assert.Matches(@"^SRS listening on tls:127\.0\.0\.1:(\d+) \(sips:srs@127\.0\.0\.1:\1\)$", lines[2]);
        Assert.DoesNotContain(":0 ", string.Join("\n", lines), StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(LockedStringWriter output, CancellationToken cancellationToken, params string[] args) =>
        ServerCommandFixture.RunAsync(SrsCommand.Create(), output, cancellationToken, args);

    private string WritePfx() => _server.WritePfx();

    private string Write(string name, string text) => _server.Write(name, text);

    [Theory]
    [InlineData("127.0.0.1:8090", null, null, null)]
    [InlineData("127.0.0.1:8090", null, "http://127.0.0.1:4317", null)]
    [InlineData("192.0.2.10:8090", "ops:secret", null, null)]
    [InlineData("192.0.2.10:8090", null, null, "--http 192.0.2.10:8090: a non-loopback console needs --http-credentials USER:PASSWORD")]
    [InlineData("localhost:8090", null, null, "--http 'localhost:8090': expected HOST:PORT with an IP address, e.g. 127.0.0.1:8090")]
    [InlineData("http://127.0.0.1:8090", null, null, "--http 'http://127.0.0.1:8090': expected HOST:PORT with an IP address, e.g. 127.0.0.1:8090")]
    [InlineData("127.0.0.1:8090", "ops", null, "--http-credentials: expected USER:PASSWORD")]
    [InlineData("127.0.0.1:8090", null, "ftp://collector", "--otlp 'ftp://collector': expected an http or https URL, e.g. http://127.0.0.1:4317")]
    [InlineData(null, null, "http://127.0.0.1:4317", "--otlp needs --http (the metrics are exported by the HTTP host)")]
    public void TheConsoleOptions_AreReadOrRefusedNamingTheOption(string? http, string? credentials, string? otlp, string? expectedError)
    {
        var ok = SrsCommand.TryReadConsole(http, credentials, otlp, out var options, out var error);

        Assert.Equal(expectedError, error);
        Assert.Equal(expectedError is null, ok);
        if (ok && http is not null)
        {
            Assert.Equal(IPEndPoint.Parse(http), options!.EndPoint);
            Assert.Equal(credentials, options.Credentials);
            Assert.Equal(otlp, options.OtlpEndpoint?.OriginalString);
        }
    }
}
