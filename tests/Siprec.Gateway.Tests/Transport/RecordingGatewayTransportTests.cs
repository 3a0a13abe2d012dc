using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Gateway.Tests.Support;
using Siprec.Media.Rtp;
using Siprec.Sip.Transport;
using Siprec.Testing;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.Transport;

/// <summary>
/// Calls and recording INFO over the gateway's TCP and TLS listeners on 127.0.0.1: answered with a Contact for that
/// transport, INFO served on the call's connection, the recording started against a fake SRS, and BYE in either direction.
/// </summary>
public sealed class RecordingGatewayTransportTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TestCertificates _certificates = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-gw-transport-").FullName;

    private GatewayOptions Options(IPEndPoint? udp, params SipListenEndPoint[] additional) => new()
    {
        SipEndPoint = udp,
        AdditionalListenEndPoints = additional,
        TlsCertificate = _certificates.Server,
        MediaAddress = IPAddress.Loopback,
        PromptDirectory = _dir,
        NoAnswerTimeout = TimeSpan.FromSeconds(2),
    };

    private static SipListenEndPoint Loopback(SipTransportProtocol transport) => new(transport, new IPEndPoint(IPAddress.Loopback, 0));

    // More than a UDP datagram should carry (RFC 3261 §18.1.1): the reason feature servers switch to TCP.
    private static string LargeOffer(int rtpPort) => TestUac.Offer(rtpPort) + string.Concat(Enumerable.Range(0, 20).Select(i => $"a=x-pad{i}:{new string('x', 80)}\n"));

    [Fact]
    public async Task ALargeInviteOverTcp_IsAnsweredWithATcpContact_ItsInfoStartsTheRecording_AndTheCallersByeEndsIt()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var gateway = new RecordingGateway(Options(new IPEndPoint(IPAddress.Loopback, 0), Loopback(SipTransportProtocol.Tcp)), TimeProvider.System, NullLoggerFactory.Instance);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += s => ended.TrySetResult(s);
        await gateway.StartAsync(CancellationToken.None);
        var tcp = gateway.ListenEndPoints.Single(l => l.Transport == SipTransportProtocol.Tcp).EndPoint;
        await using var uac = new TestUac(SipTransportProtocol.Tcp);
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);

        var offer = LargeOffer(rtp.LocalEndPoint.Port);
        var invite = await uac.InviteAsync(tcp, offer).WaitAsync(Bound);
        var start = await uac.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)]).WaitAsync(Bound);
        await srs.InviteSeen.Task.WaitAsync(Bound);
        var bye = await uac.SendInDialogAsync("BYE", []).WaitAsync(Bound);
        var summary = await ended.Task.WaitAsync(Bound);
        await srs.ByeSeen.Task.WaitAsync(Bound);

        Assert.True(offer.Length > 1300, $"the offer is only {offer.Length} bytes");
        Assert.Equal(200, invite.Response?.StatusCode);
        Assert.Equal($"<sip:bot@127.0.0.1:{tcp.Port};transport=tcp>", invite.Response?.GetHeader("Contact"));
        Assert.Equal(200, start.Response?.StatusCode);
        Assert.Equal(200, bye.Response?.StatusCode);
        Assert.Equal([200], summary.InfoExchanges.Select(i => i.StatusCode));
        Assert.Contains(summary.RecorderOutcomes, o => o.SrsUri == srs.Uri && o.Kind == Siprec.Recording.SrsOutcomeKind.Accepted);
        Assert.Contains(summary.RecordingEvents, e => e.Kind == Siprec.Recording.RecordingEventKind.Stopped);
        Assert.Empty(uac.ReceivedOver); // the caller hung up: the gateway sent it nothing
    }

    [Fact]
    public async Task ACallOverTls_IsAnsweredWithASipsContact_ItsInfoIsAnsweredWithTheTlsListenerAsWarnAgent_AndTheCallersByeEndsIt()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var gateway = new RecordingGateway(Options(null, Loopback(SipTransportProtocol.Tls)), TimeProvider.System, NullLoggerFactory.Instance);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += s => ended.TrySetResult(s);
        await gateway.StartAsync(CancellationToken.None);
        var tls = Assert.Single(gateway.ListenEndPoints);
        await using var uac = new TestUac(SipTransportProtocol.Tls, _certificates.TrustStore);
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);

        var invite = await uac.InviteAsync(tls.EndPoint, TestUac.Offer(rtp.LocalEndPoint.Port)).WaitAsync(Bound);
        var start = await uac.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)]).WaitAsync(Bound);
        var duplicate = await uac.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)]).WaitAsync(Bound);
        await srs.InviteSeen.Task.WaitAsync(Bound);
        var bye = await uac.SendInDialogAsync("BYE", []).WaitAsync(Bound);
        var summary = await ended.Task.WaitAsync(Bound);
        await srs.ByeSeen.Task.WaitAsync(Bound);

        Assert.Equal(SipTransportProtocol.Tls, tls.Transport);
        Assert.Throws<InvalidOperationException>(() => gateway.SipEndPoint); // no UDP listener was asked for
        Assert.Equal(200, invite.Response?.StatusCode);
        Assert.Equal($"<sips:bot@127.0.0.1:{tls.EndPoint.Port}>", invite.Response?.GetHeader("Contact"));
        Assert.Equal(200, start.Response?.StatusCode);
        Assert.Equal($"399 {tls.EndPoint} \"discarding duplicate startCallRecording request for a call\"", duplicate.Response?.GetHeader("Warning"));
        Assert.Equal(200, bye.Response?.StatusCode);
        Assert.Equal([200, 400], summary.InfoExchanges.Select(i => i.StatusCode));
        Assert.Contains(summary.RecorderOutcomes, o => o.SrsUri == srs.Uri && o.Kind == Siprec.Recording.SrsOutcomeKind.Accepted);
        Assert.Contains(summary.RecordingEvents, e => e.Kind == Siprec.Recording.RecordingEventKind.Stopped);
    }

    [Fact]
    public async Task AtShutdown_TheGatewaysByeForATlsCall_ReachesTheCallerOverItsOwnConnection()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        var gateway = new RecordingGateway(Options(new IPEndPoint(IPAddress.Loopback, 0), Loopback(SipTransportProtocol.Tls)), TimeProvider.System, NullLoggerFactory.Instance);
        await using var uac = new TestUac(SipTransportProtocol.Tls, _certificates.TrustStore);
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);
        try
        {
            await gateway.StartAsync(CancellationToken.None);
            var tls = gateway.ListenEndPoints.Single(l => l.Transport == SipTransportProtocol.Tls).EndPoint;
            Assert.Equal(200, (await uac.InviteAsync(tls, TestUac.Offer(rtp.LocalEndPoint.Port)).WaitAsync(Bound)).Response?.StatusCode);
            Assert.Equal(200, (await uac.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)]).WaitAsync(Bound)).Response?.StatusCode);
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        // The UAC has no certificate and so no TLS listener: the BYE can only have come over the INVITE's connection.
        var bye = await uac.ByeReceived.Task.WaitAsync(Bound);
        await srs.ByeSeen.Task.WaitAsync(Bound);
        Assert.Equal(uac.Dialog.Id.CallId, bye.CallId);
        Assert.Equal([SipTransportProtocol.Tls], uac.ReceivedOver);
        var summary = Assert.Single(gateway.CompletedCalls);
        Assert.Contains(summary.RecordingEvents, e => e.Kind == Siprec.Recording.RecordingEventKind.Stopped);
    }

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
