using System.Text;
using Siprec.Recording.Metadata;
using Siprec.Testing.Metadata;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionMetadataTests
{
    private static readonly byte[] SnapshotRequest = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<requestsnapshot xmlns=\"urn:ietf:params:xml:ns:recording:1\"><requestreason>lost state</requestreason></requestsnapshot>");

    [Fact]
    public async Task Hold_WhenTheSrsAllowsUpdate_SendsAPartialUpdateInAnUpdate_WithoutSdp()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AllowUpdate = true;
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        var snapshot = InviteShape.ReadValidMetadata(await srs.WaitForAsync(SipMethods.Invite));
        await srs.WaitForAckAsync();

        var held = await src.Session.SetOnHoldAsync(CallParty.Caller, true, CancellationToken.None);

        Assert.True(held.Succeeded);
        var update = await srs.WaitForAsync(SipMethods.Update);
        Assert.Equal(RecordingMetadata.ContentType, update.ContentType);
        Assert.Equal("recording-session", update.GetHeader("Content-Disposition"));
        var partial = InviteShape.ReadValidMetadata(update);
        Assert.Equal(MetadataDataMode.Partial, partial.DataMode);
        var caller = snapshot.Participants[0].ParticipantId;
        Assert.Empty(partial.ParticipantStreamAssociations.Single(a => a.ParticipantId == caller).Send);
        Assert.Single(srs.Requests, r => r.Method == SipMethods.Invite);

        var same = await src.Session.SetOnHoldAsync(CallParty.Caller, true, CancellationToken.None);
        Assert.True(same.Succeeded);
        Assert.Empty(same.Outcomes);
    }

    [Fact]
    public async Task Hold_WhenTheSrsDoesNotAllowUpdate_SendsItInAReInviteWithTheSameSdpLines()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        var initial = await srs.WaitForAsync(SipMethods.Invite);
        await srs.WaitForAckAsync();

        var held = await src.Session.SetOnHoldAsync(CallParty.Bot, true, CancellationToken.None);

        Assert.True(held.Succeeded);
        var reinvite = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.StartsWith("multipart/mixed", reinvite.ContentType);
        Assert.Equal(MetadataDataMode.Partial, InviteShape.ReadValidMetadata(reinvite).DataMode);
        var before = SiprecBody.ReadSdp(initial)!;
        var after = SiprecBody.ReadSdp(reinvite)!;
        Assert.Equal(before.Media.Select(m => (m.Port, m.Label, m.Direction)), after.Media.Select(m => (m.Port, m.Label, m.Direction)));
        Assert.Equal(before.Origin.SessionVersion + 1, after.Origin.SessionVersion);
        await srs.WaitForAckAsync(2);
    }

    [Fact]
    public async Task ReplaceParticipant_SendsEveryRecorderAValidPartialUpdate()
    {
        await using var first = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var second = FakeSrs.Start(FakeSrsBehavior.Accept);
        second.AllowUpdate = true;
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(first.Uri, second.Uri), CancellationToken.None);
        await first.WaitForAckAsync();
        await second.WaitForAckAsync();
        Assert.True(NameAddress.TryParse("<sip:agent@example.test>", out var agent));

        var result = await src.Session.ReplaceParticipantAsync(CallParty.Bot, agent!, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Outcomes.Count);
        var viaInvite = InviteShape.ReadValidMetadata(await first.WaitForAsync(SipMethods.Invite, 2));
        var viaUpdate = InviteShape.ReadValidMetadata(await second.WaitForAsync(SipMethods.Update));
        Assert.All(new[] { viaInvite, viaUpdate }, d => Assert.Equal("sip:agent@example.test", d.Participants.Single().NameIds[0].Aor));
    }

    [Fact]
    public async Task MetadataUpdate_WhenNotRecording_DoesNothing()
    {
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.SetOnHoldAsync(CallParty.Caller, true, CancellationToken.None);

        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData(SipMethods.Update)]
    [InlineData(SipMethods.Info)]
    public async Task SnapshotRequest_IsAnswered_ThenANewCompleteSnapshotIsSentByUpdate(string method)
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        srs.AllowUpdate = true;
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        var first = InviteShape.ReadValidMetadata(await srs.WaitForAsync(SipMethods.Invite));
        await srs.WaitForAckAsync();

        var answer = await srs.SendInDialogAsync(method, RecordingMetadata.SnapshotRequestContentType, SnapshotRequest);

        Assert.Equal(200, answer.Response!.StatusCode);
        var update = await srs.WaitForRequestAsync(r => r.Method == SipMethods.Update && r.CSeq!.Value.Sequence > 1 && r.ContentType is not null, TimeSpan.FromSeconds(5));
        var snapshot = InviteShape.ReadValidMetadata(update);
        Assert.Equal(MetadataDataMode.Complete, snapshot.DataMode);
        Assert.Equal(first.Sessions[0].SessionId, snapshot.Sessions[0].SessionId);
        Assert.Equal(first.Streams.Select(s => (s.StreamId, s.Label)), snapshot.Streams.Select(s => (s.StreamId, s.Label)));
    }

    [Fact]
    public async Task SnapshotRequest_InAReInvite_IsAnsweredWithSdp_ThenTheSnapshotFollowsInANewReInvite()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await srs.WaitForAckAsync();
        var body = MultipartBody.Build(
            [MimePart.Create("application/sdp", Encoding.UTF8.GetBytes(srs.AnswerSdp())), MimePart.Create(RecordingMetadata.SnapshotRequestContentType, SnapshotRequest)],
            out var boundary);

        var answer = await srs.SendInDialogAsync(SipMethods.Invite, "multipart/mixed;boundary=" + boundary, body);

        Assert.Equal(200, answer.Response!.StatusCode);
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(answer.Response.Body.Span), out _, out _));
        var reinvite = await srs.WaitForAsync(SipMethods.Invite, 2);
        Assert.Equal(MetadataDataMode.Complete, InviteShape.ReadValidMetadata(reinvite).DataMode);
    }

    [Fact]
    public async Task EveryInviteOfAStartPauseResume_CarriesValidSdp_AndTheInitialOneValidMetadata()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);
        await src.Session.PauseAsync(CancellationToken.None);
        await src.Session.ResumeAsync(CancellationToken.None);

        var invites = srs.Requests.Where(r => r.Method == SipMethods.Invite).ToList();
        Assert.Equal(3, invites.Count);
        var metadata = InviteShape.ReadValidMetadata(invites[0]);
        Assert.Equal(MetadataDataMode.Complete, metadata.DataMode);
        Assert.All(invites, i => Assert.Equal(metadata.Streams.Select(s => s.Label), SiprecBody.ReadSdp(i)!.Media.Select(m => m.Label)));
    }
}
