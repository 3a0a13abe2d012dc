using System.Net;
using System.Net.Sockets;
using Moq;
using Siprec.Control;
using Siprec.Recording.Connectors;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Location;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionTransportTests
{
    [Fact]
    public async Task Start_OverTcp_RecordsAndStops_WithATcpContact()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept, tcp: true);
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        var invite = await srs.WaitForAsync(SipMethods.Invite);
        Assert.Equal("TCP", invite.Vias[0].Transport);
        Assert.Contains(";transport=tcp", invite.GetHeader("Contact"));
        Assert.Contains("+sip.src", invite.GetHeader("Contact"));
        await srs.WaitForAckAsync();
        await src.PumpUntilAsync(() => srs.CallerMedia.PacketsReceived > 0 && srs.BotMedia.PacketsReceived > 0);
        var stopped = await src.Session.StopAsync(CancellationToken.None);
        Assert.Equal(SrsOutcomeKind.Accepted, stopped.Outcomes.Single().Kind);
        Assert.Equal("TCP", (await srs.WaitForAsync(SipMethods.Bye)).Vias[0].Transport);
    }

    [Fact]
    public async Task Start_WithAConnectorSayingTcp_SendsTheInviteOverTcp()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept, tcp: true);
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = [$"sip:srs@127.0.0.1:{srs.SipEndPoint.Port}"], Transport = "tcp" };

        var result = await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        Assert.Equal("TCP", (await srs.WaitForAsync(SipMethods.Invite)).Vias[0].Transport);
    }

    [Fact]
    public async Task Start_WhenTheFirstTargetRefusesTheConnection_FailsOverToTheNext()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept, tcp: true);
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var locator = new Mock<ISipServerLocator>();
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "recorders.example.test"), It.IsAny<CancellationToken>()))
            .ReturnsAsync([
                new SipTarget(new IPEndPoint(IPAddress.Loopback, closedPort), SipTransportProtocol.Tcp) { IsTransportExplicit = true },
                new SipTarget(srs.SipEndPoint, SipTransportProtocol.Tcp) { IsTransportExplicit = true },
            ]);
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "127.0.0.1"), It.IsAny<CancellationToken>()))
            .Returns((SipUri u, CancellationToken ct) => new SystemDnsServerLocator().ResolveAsync(u, ct));
        await using var src = await SrcHarness.StartAsync(locator: locator.Object);

        var result = await src.Session.StartAsync(SrcHarness.StartRequest("sip:srs@recorders.example.test;transport=tcp"), CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        await srs.WaitForAckAsync();
    }

    [Fact]
    public async Task Start_AnswersADigestChallenge_WithTheConnectorsCredentials()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.RequireDigest = ("rec-user", "s3cret", "srs.example.test");
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = [srs.Uri], UserName = "rec-user", Password = "s3cret" };

        var result = await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        var first = await srs.WaitForAsync(SipMethods.Invite);
        var second = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Null(first.GetHeader("Authorization"));
        Assert.True(DigestCheck.IsValid(second, srs.RequireDigest.Value, FakeSrs.Nonce));
        Assert.Equal(first.CallId, second.CallId);
        Assert.Equal(2u, second.CSeq!.Value.Sequence);
        InviteShape.ReadValidMetadata(second);
    }

    [Fact]
    public async Task PauseAndStop_AnswerInDialogChallenges_WithAGrowingNonceCount()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.RequireDigest = ("rec-user", "s3cret", "srs.example.test");
        srs.ChallengeInDialog = true;
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = [srs.Uri], UserName = "rec-user", Password = "s3cret" };
        await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);
        await srs.WaitForAckAsync();

        var paused = await src.Session.PauseAsync(CancellationToken.None);
        var stopped = await src.Session.StopAsync(CancellationToken.None);

        Assert.True(paused.Succeeded, string.Join("; ", paused.Outcomes));
        Assert.Equal(SrsOutcomeKind.Accepted, stopped.Outcomes.Single().Kind);
        var authorized = srs.Requests.Where(r => r.GetHeader("Authorization") is not null).ToList();
        Assert.Equal([SipMethods.Invite, SipMethods.Invite, SipMethods.Bye], authorized.Select(r => r.Method));
        Assert.All(authorized, r => Assert.True(DigestCheck.IsValid(r, srs.RequireDigest.Value, FakeSrs.Nonce)));
        var counts = authorized.Select(r => System.Text.RegularExpressions.Regex.Match(r.GetHeader("Authorization")!, "nc=([0-9a-f]{8})").Groups[1].Value).ToList();
        Assert.Equal(["00000001", "00000002", "00000003"], counts);
    }

    [Fact]
    public async Task Start_WithWrongCredentials_IsRejectedWith401_AfterOneAttempt()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.RequireDigest = ("rec-user", "s3cret", "srs.example.test");
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = [srs.Uri], UserName = "rec-user", Password = "wrong" };

        var result = await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.False(result.Started);
        Assert.Equal(SrsOutcomeKind.Rejected, result.Outcomes.Single().Kind);
        Assert.Equal(401, result.Outcomes[0].StatusCode);
        Assert.Equal(2, srs.Requests.Count(r => r.Method == SipMethods.Invite));
    }

    [Fact]
    public async Task Start_WithoutCredentials_ReportsTheChallengeAsARejection()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.RequireDigest = ("rec-user", "s3cret", "srs.example.test");
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        Assert.Equal(401, result.Outcomes.Single().StatusCode);
        Assert.Equal(SrsOutcomeKind.Rejected, result.Outcomes[0].Kind);
    }

    [Fact]
    public async Task Start_WithASecureConnector_NeverSignalsInClear_ToAnSrsWithoutTls()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = [srs.Uri], Secure = true };

        var result = await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.False(result.Started);
        Assert.Equal(SrsOutcomeKind.TransportError, result.Outcomes.Single().Kind);
        Assert.Empty(srs.Requests);
    }

    [Fact]
    public async Task Start_ToAHostWithoutPort_FollowsItsSrvRecords_WhenGivenTheRfc3263Locator()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept, tcp: true);
        var dns = new Mock<IDnsResolver>();
        dns.Setup(d => d.QuerySrvAsync("_sip._tcp.recorders.example.test", It.IsAny<CancellationToken>()))
            .ReturnsAsync([new SrvRecord(10, 100, (ushort)srs.SipEndPoint.Port, "srs1.example.test")]);
        dns.Setup(d => d.QuerySrvAsync(It.Is<string>(n => n != "_sip._tcp.recorders.example.test"), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        dns.Setup(d => d.QueryAddressesAsync("srs1.example.test", It.IsAny<CancellationToken>())).ReturnsAsync([IPAddress.Loopback]);
        dns.Setup(d => d.QueryAddressesAsync("127.0.0.1", It.IsAny<CancellationToken>())).ReturnsAsync([IPAddress.Loopback]);
        await using var src = await SrcHarness.StartAsync(locator: new SipServerLocator(dns.Object));

        var result = await src.Session.StartAsync(SrcHarness.StartRequest("sip:srs@recorders.example.test;transport=tcp"), CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        Assert.Equal("TCP", (await srs.WaitForAsync(SipMethods.Invite)).Vias[0].Transport);
    }

    [Fact]
    public async Task Start_ToAHostThatDoesNotResolve_ReportsADnsFailure()
    {
        var dns = new Mock<IDnsResolver>();
        dns.Setup(d => d.QuerySrvAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        dns.Setup(d => d.QueryAddressesAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        await using var src = await SrcHarness.StartAsync(locator: new SipServerLocator(dns.Object));

        var result = await src.Session.StartAsync(SrcHarness.StartRequest("sip:srs@nowhere.example.test"), CancellationToken.None);

        Assert.Equal(SrsOutcomeKind.DnsFailure, result.Outcomes.Single().Kind);
        Assert.Contains("nowhere.example.test", result.Outcomes[0].Detail);
    }
}
