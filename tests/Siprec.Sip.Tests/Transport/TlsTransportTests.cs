using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transport;

/// <summary>SIP over TLS on 127.0.0.1 with a CA and a leaf certificate generated in the test (RFC 3261 §26.3.1, RFC 5922).</summary>
public sealed class TlsTransportTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly IPEndPoint Any = new(IPAddress.Loopback, 0);
    private readonly TestCertificates _certificates = new();

    private StreamLoopback NewLoopback(TlsOptions clientTls) =>
        new(new TlsSipTransport(Any, clientTls), new TlsSipTransport(Any, new TlsOptions { ServerCertificate = _certificates.Server }));

    [Fact]
    public async Task RequestAndResponse_TravelOverTls_ThroughTwoTransactionLayers_OnOneReusedConnection()
    {
        await using var loop = NewLoopback(new TlsOptions { TrustedRoots = _certificates.TrustStore });
        var target = new SipTarget(loop.ServerTransport.LocalEndPoint, SipTransportProtocol.Tls, "localhost");

        var first = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options), target).WaitAsync(Wait);
        var invite = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Invite), target).WaitAsync(Wait);

        Assert.True(first.IsSuccess, first.Error);
        Assert.True(invite.IsSuccess, invite.Error);
        Assert.Equal("srv", invite.Response!.To!.Tag);
        var received = loop.ServerUser.Requests.Select(r => r.Incoming).ToList();
        Assert.All(received, r => Assert.Equal(SipTransportProtocol.Tls, r.Transport));
        Assert.All(received, r => Assert.Equal("TLS", ((SipRequest)r.Message).Vias[0].Transport));
        Assert.Equal(1, ((TlsSipTransport)loop.ClientTransport).ConnectionCount);
    }

    [Fact]
    public async Task WrongHostName_FailsWithAnErrorNamingTheExpectedAndPresentedNames()
    {
        await using var loop = NewLoopback(new TlsOptions { TrustedRoots = _certificates.TrustStore });
        var target = new SipTarget(loop.ServerTransport.LocalEndPoint, SipTransportProtocol.Tls, "srs.example.com");

        var outcome = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options), target).WaitAsync(Wait);

        Assert.Equal(TransactionOutcomeKind.TransportError, outcome.Kind);
        Assert.Contains("expected host name 'srs.example.com'", outcome.Error);
        Assert.Contains("DNS:localhost", outcome.Error);
        Assert.Empty(loop.ServerUser.Requests);
    }

    [Fact]
    public async Task ServerCertificateFromAnUntrustedCa_IsRejected()
    {
        using var other = new TestCertificates();
        await using var loop = NewLoopback(new TlsOptions { TrustedRoots = other.TrustStore });
        var target = new SipTarget(loop.ServerTransport.LocalEndPoint, SipTransportProtocol.Tls, "localhost");

        var outcome = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options), target).WaitAsync(Wait);

        Assert.Equal(TransactionOutcomeKind.TransportError, outcome.Kind);
        Assert.Contains("does not chain to a trusted root", outcome.Error);
        Assert.Empty(loop.ServerUser.Requests);
    }

    [Fact]
    public async Task IpAddressTarget_IsCheckedAgainstTheIpSubjectAltName()
    {
        await using var loop = NewLoopback(new TlsOptions { TrustedRoots = _certificates.TrustStore });
        var target = new SipTarget(loop.ServerTransport.LocalEndPoint, SipTransportProtocol.Tls);

        var outcome = await loop.Client.SendRequestAsync(StreamLoopback.NewRequest(SipMethods.Options), target).WaitAsync(Wait);

        Assert.True(outcome.IsSuccess, outcome.Error);
    }

    public void Dispose() => _certificates.Dispose();
}
