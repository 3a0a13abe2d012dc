using Siprec.Control;
using Siprec.Recording.Connectors;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionTrackTests
{
    [Theory]
    [InlineData(RecordingTrack.InboundTrack, "1")]
    [InlineData(RecordingTrack.OutboundTrack, "2")]
    public async Task Start_WithOneTrack_OffersOneLabelledStream_AndForwardsOnlyThatLeg(RecordingTrack track, string label)
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri) with { Track = track }, CancellationToken.None);

        Assert.True(result.Started);
        var invite = await srs.WaitForAsync(SipMethods.Invite);
        var sdp = SiprecBody.ReadSdp(invite)!;
        Assert.Equal([label], sdp.Media.Select(m => m.Label));
        var metadata = InviteShape.ReadValidMetadata(invite);
        Assert.Equal([label], metadata.Streams.Select(s => s.Label));

        // Only the recorded leg's packets reach the single stream (the fake's first socket).
        for (var i = 0; i < 10; i++)
        {
            if (track == RecordingTrack.InboundTrack)
                src.Session.OnBotRtp(src.NextRtp());
            else
                src.Session.OnCallerRtp(src.NextRtp());
        }

        Assert.Equal(0, await srs.DrainWithProbeAsync(0));
        await Poll.UntilAsync(() => srs.MediaPackets(0) != 0, TimeSpan.FromSeconds(5), "the recorded leg's RTP on the single m-line", () =>
        {
            if (track == RecordingTrack.InboundTrack)
                src.Session.OnCallerRtp(src.NextRtp());
            else
                src.Session.OnBotRtp(src.NextRtp());
        });

        Assert.Equal(0, await srs.DrainWithProbeAsync(1));
    }

    [Fact]
    public async Task PauseAndResume_KeepTheOneStreamAndItsLabel()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri) with { Track = RecordingTrack.OutboundTrack }, CancellationToken.None);

        Assert.True((await src.Session.PauseAsync(CancellationToken.None)).Succeeded);
        Assert.True((await src.Session.ResumeAsync(CancellationToken.None)).Succeeded);

        var invites = srs.Requests.Where(r => r.Method == SipMethods.Invite).Select(SiprecBody.ReadSdp).ToList();
        Assert.Equal(3, invites.Count);
        Assert.All(invites, s => Assert.Equal(["2"], s!.Media.Select(m => m.Label)));
        Assert.All(invites, s => Assert.Equal(invites[0]!.Media[0].Port, s!.Media[0].Port));
        Assert.Equal([SdpDirection.SendOnly, SdpDirection.Inactive, SdpDirection.SendOnly], invites.Select(s => s!.Media[0].Direction));
    }

    [Fact]
    public async Task Start_WithParametersAsSipHeaders_PutsThemOnTheInvite_NotInTheMetadata()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        var request = SrcHarness.StartRequest(srs.Uri) with
        {
            CustomHeaders = new Dictionary<string, string>(), // the harness's INFO-style headers would be metadata parameters
            Parameters = [new("X-Customer", "gold"), new("Via", "smuggled"), new("X-Bad", "a\r\nInjected: 1")],
            IncludeMetadataCustomHeaders = false,
        };

        await src.Session.StartAsync(request, RecordingStartOptions.Default, CancellationToken.None);

        var invite = await srs.WaitForAsync(SipMethods.Invite);
        Assert.Equal("gold", invite.GetHeader("X-Customer"));
        Assert.Null(invite.GetHeader("X-Bad"));
        Assert.Null(invite.GetHeader("Injected"));
        Assert.Single(invite.Vias);
        Assert.Empty(InviteShape.ReadValidMetadata(invite).Sessions.Single().Extension!.Parameters);
    }

    [Fact]
    public async Task Start_WithAConnector_UsesItsUrisHeadersAndSessionTimeout()
    {
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector
        {
            Uris = [first.Uri, second.Uri],
            SessionTimeoutSecs = 600,
            Headers = new(StringComparer.OrdinalIgnoreCase) { ["X-Tenant"] = "acme" },
        };
        var request = new RecordingControlRequest { Action = RecordingAction.Start, CallSid = "CA1" };

        var result = await src.Session.StartAsync(request, new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.True(result.Started);
        Assert.Equal([first.Uri, second.Uri], result.Outcomes.Select(o => o.SrsUri));
        foreach (var srs in new[] { first, second })
        {
            var invite = await srs.WaitForAsync(SipMethods.Invite);
            Assert.Equal("acme", invite.GetHeader("X-Tenant"));
            Assert.Equal("600;refresher=uac", invite.GetHeader("Session-Expires"));
        }
    }

    [Fact]
    public async Task Start_WithATransportThisSrcCannotUseYet_ReportsATransportError()
    {
        await using var src = await SrcHarness.StartAsync();
        var connector = new SrsConnector { Uris = ["sip:srs@127.0.0.1:5999"], Transport = "sctp" };

        var result = await src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.False(result.Started);
        Assert.Equal(SrsOutcomeKind.TransportError, result.Outcomes.Single().Kind);
        Assert.Contains("sctp", result.Outcomes[0].Detail);
    }

    [Fact]
    public async Task Start_WithNoUriInTheRequestOrConnector_Throws()
    {
        await using var src = await SrcHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            src.Session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start }, RecordingStartOptions.Default, CancellationToken.None));
    }
}
