using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>What <see cref="RecordingServer.StartAsync"/> refuses before binding anything, and how it fails to bind.</summary>
public sealed class RecordingServerOptionsTests : IDisposable
{
    private static readonly SipListenEndPoint Tls = new(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 0));

    private readonly TempDirectory _output = new();
    private readonly TestCertificates _certificates = new();

    public void Dispose()
    {
        _certificates.Dispose();
        _output.Dispose();
    }

    [Fact]
    public async Task TlsListenerWithoutACertificate_IsRefusedNamingTheListener()
    {
        var error = await StartFailsAsync<ArgumentException>(Options() with { AdditionalListenEndPoints = [Tls] });

        Assert.Equal("TlsCertificate", error.ParamName);
        Assert.Contains("TlsCertificate is required for the TLS listener tls:127.0.0.1:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateWithoutItsPrivateKey_IsRefusedNamingTheCertificate()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_certificates.Server.RawData);

        var error = await StartFailsAsync<ArgumentException>(Options() with { AdditionalListenEndPoints = [Tls], TlsCertificate = publicOnly });

        Assert.Equal("TlsCertificate", error.ParamName);
        Assert.Contains("'CN=localhost'", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoListenerAtAll_IsRefused()
    {
        var error = await StartFailsAsync<ArgumentException>(Options() with { SipEndPoint = null });

        Assert.Contains("no SIP listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameListenerTwice_IsRefusedNamingIt()
    {
        var tcp = new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 5099));

        var error = await StartFailsAsync<ArgumentException>(Options() with { AdditionalListenEndPoints = [tcp, tcp with { }] });

        Assert.Contains("tcp:127.0.0.1:5099 is given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamTransportLimitOutOfRange_IsRefused()
    {
        var tcp = new SipListenEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 0));

        var error = await StartFailsAsync<ArgumentOutOfRangeException>(Options() with
        {
            AdditionalListenEndPoints = [tcp],
            StreamTransport = new StreamTransportOptions { MaxMessageSize = 100 },
        });

        Assert.Equal("MaxMessageSize", error.ParamName);
    }

    [Fact]
    public async Task TlsOnlyServer_HasNoUdpEndPoint_AndListsItsTlsListener()
    {
        await using var server = new RecordingServer(Options() with { SipEndPoint = null, AdditionalListenEndPoints = [Tls], TlsCertificate = _certificates.Server },
            TimeProvider.System, NullLoggerFactory.Instance);

        await server.StartAsync(CancellationToken.None);

        var listener = Assert.Single(server.ListenEndPoints);
        Assert.Equal(SipTransportProtocol.Tls, listener.Transport);
        Assert.NotEqual(0, listener.EndPoint.Port);
        Assert.Contains("no UDP listener", Assert.Throws<InvalidOperationException>(() => server.SipEndPoint).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListenerThatCannotBeBound_FailsTheStart_AndLeavesTheServerUnstarted()
    {
        using var occupied = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupied.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupied.Listen();
        var taken = new SipListenEndPoint(SipTransportProtocol.Tcp, (IPEndPoint)occupied.LocalEndPoint!);
        await using var server = new RecordingServer(Options() with { AdditionalListenEndPoints = [taken] }, TimeProvider.System, NullLoggerFactory.Instance);

        await Assert.ThrowsAsync<SocketException>(() => server.StartAsync(CancellationToken.None));

        Assert.Throws<InvalidOperationException>(() => server.ListenEndPoints);
    }

    private RecordingServerOptions Options() => new() { OutputDirectory = _output.Path };

    private static async Task<T> StartFailsAsync<T>(RecordingServerOptions options)
        where T : ArgumentException
    {
        await using var server = new RecordingServer(options, TimeProvider.System, NullLoggerFactory.Instance);
        var error = await Assert.ThrowsAsync<T>(() => server.StartAsync(CancellationToken.None));
        Assert.Throws<InvalidOperationException>(() => server.ListenEndPoints);
        return error;
    }
}
