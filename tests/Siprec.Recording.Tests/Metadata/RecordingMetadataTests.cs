using System.Text;
using System.Xml.Linq;
using Siprec.Control;
using Siprec.Recording.Metadata;
using Siprec.Testing.Metadata;
using Siprec.Recording.Tests.Fakes;

namespace Siprec.Recording.Tests.Metadata;

public sealed class RecordingMetadataTests
{
    private static readonly XNamespace Rec = RecordingMetadata.Namespace;
    private static readonly XNamespace Ext = RecordingMetadata.ExtensionNamespace;

    [Fact]
    public void Snapshot_KeepsItsIds_AcrossSnapshots()
    {
        var metadata = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"));

        var a = XDocument.Parse(Encoding.UTF8.GetString(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch)));
        var b = XDocument.Parse(Encoding.UTF8.GetString(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch.AddHours(1))));

        Assert.Equal(a.Root!.Element(Rec + "session")!.Attribute("session_id")!.Value, b.Root!.Element(Rec + "session")!.Attribute("session_id")!.Value);
        Assert.Equal("1970-01-01T00:00:00.000Z", a.Root.Element(Rec + "group")!.Element(Rec + "associate-time")!.Value);
    }

    [Fact]
    public void Snapshot_OmitsAbsentSids_AndReplacesCharactersXmlCannotCarry()
    {
        var request = new RecordingControlRequest
        {
            Action = RecordingAction.Start,
            SrsUris = ["sip:srs@127.0.0.1"],
            RecordingId = "bad\u0001id",
            CustomHeaders = new Dictionary<string, string> { ["X-A"] = "v\u0000" },
        };
        var metadata = new RecordingMetadata(SrcHarness.Call, request);

        var xml = XDocument.Parse(Encoding.UTF8.GetString(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch)));

        var ext = xml.Descendants(Ext + "extensiondata").Single();
        Assert.Equal("bad\uFFFDid", ext.Element(Ext + "recordingId")!.Value);
        Assert.Null(ext.Element(Ext + "callSid"));
        Assert.Equal("v\uFFFD", ext.Element(Ext + "parameter")!.Value);
    }

    [Fact]
    public void SipSessionId_IsThirtyTwoLowerHex_AndStableForTheCall()
    {
        var a = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"));
        var b = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"));

        Assert.Matches("^[0-9a-f]{32}$", a.SipSessionId);
        Assert.Equal(a.SipSessionId, b.SipSessionId);
        Assert.NotEqual(a.SessionId, b.SessionId);
    }

    [Theory]
    [InlineData(RecordingTrack.BothTracks, new[] { "1", "2" })]
    [InlineData(RecordingTrack.InboundTrack, new[] { "1" })]
    [InlineData(RecordingTrack.OutboundTrack, new[] { "2" })]
    public void Snapshot_HasOneStreamPerRecordedTrack_AndPassesTheReader(RecordingTrack track, string[] labels)
    {
        var metadata = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"), track);

        Assert.True(StrictMetadataReader.TryRead(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch), out var d, out var error), error);

        Assert.Equal(MetadataDataMode.Complete, d!.DataMode);
        Assert.Equal(labels, d.Streams.Select(s => s.Label));
        Assert.Equal(labels, metadata.Labels);
        Assert.Equal(2, d.Participants.Count);
        var sent = d.ParticipantStreamAssociations.SelectMany(a => a.Send).ToList();
        Assert.Equal(d.Streams.Select(s => s.StreamId).Order(), sent.Order());
        Assert.Equal("rec-<42>&\"x\"", d.Sessions.Single().Extension!.RecordingId);
        Assert.Equal("CA123", d.Sessions[0].Extension!.CallSid);
        Assert.Equal([new KeyValuePair<string, string>("X-Customer", "a&b<c>")], d.Sessions[0].Extension!.Parameters);
    }

    [Fact]
    public void Snapshot_WithIncludeMetadataCustomHeaders_PutsTheParametersAfterTheCustomHeaders()
    {
        var request = SrcHarness.StartRequest("sip:srs@127.0.0.1") with
        {
            CustomHeaders = new Dictionary<string, string> { ["X-Customer"] = "gold" },
            Parameters = [new("campaign", "spring")],
            IncludeMetadataCustomHeaders = true,
        };
        var metadata = new RecordingMetadata(SrcHarness.Call, request);

        Assert.True(StrictMetadataReader.TryRead(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch), out var d, out _));

        Assert.Equal([new("X-Customer", "gold"), new KeyValuePair<string, string>("campaign", "spring")], d!.Sessions[0].Extension!.Parameters);
    }

    [Fact]
    public void Snapshot_WithParametersAsSipHeaders_LeavesThemOutOfTheExtension()
    {
        var request = SrcHarness.StartRequest("sip:srs@127.0.0.1") with
        {
            CustomHeaders = new Dictionary<string, string>(),
            Parameters = [new("X-Campaign", "spring")],
            IncludeMetadataCustomHeaders = false,
        };
        var metadata = new RecordingMetadata(SrcHarness.Call, request);

        Assert.True(StrictMetadataReader.TryRead(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch), out var d, out _));

        Assert.Empty(d!.Sessions[0].Extension!.Parameters);
        Assert.Equal("CA123", d.Sessions[0].Extension!.CallSid);
    }

    [Fact]
    public void SetOnHold_ReturnsAPartialUpdateWhereTheHeldPartyOnlyReceives_AndNothingWhenUnchanged()
    {
        var metadata = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"));

        var hold = metadata.SetOnHold(CallParty.Caller, true);
        var again = metadata.SetOnHold(CallParty.Caller, true);
        var unhold = metadata.SetOnHold(CallParty.Caller, false);

        Assert.Null(again);
        Assert.True(StrictMetadataReader.TryRead(hold, out var held, out var error), error);
        Assert.Equal(MetadataDataMode.Partial, held!.DataMode);
        var caller = held.ParticipantStreamAssociations.Single(a => a.ParticipantId == metadata.ParticipantId(CallParty.Caller));
        Assert.Empty(caller.Send);
        Assert.Equal([metadata.StreamId(CallParty.Bot)!], caller.Recv);
        Assert.True(StrictMetadataReader.TryRead(unhold, out var resumed, out _));
        Assert.Equal([metadata.StreamId(CallParty.Caller)!], resumed!.ParticipantStreamAssociations.Single(a => a.ParticipantId == caller.ParticipantId).Send);
        Assert.True(StrictMetadataReader.TryRead(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch), out _, out error), error);
    }

    [Fact]
    public void ReplaceParticipant_DisassociatesTheOldOne_AndTheNextSnapshotNamesTheNewOne()
    {
        var metadata = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"));
        var oldBot = metadata.ParticipantId(CallParty.Bot);
        Assert.True(Siprec.Sip.Messages.NameAddress.TryParse("\"Agent\" <sip:agent@example.test>", out var agent));

        var update = metadata.ReplaceParticipant(CallParty.Bot, agent!, DateTimeOffset.UnixEpoch.AddMinutes(1));

        Assert.True(StrictMetadataReader.TryRead(update, out var d, out var error), error);
        Assert.Equal(MetadataDataMode.Partial, d!.DataMode);
        Assert.Equal("sip:agent@example.test", d.Participants.Single().NameIds.Single().Aor);
        var left = d.ParticipantSessionAssociations.Single(a => a.ParticipantId == oldBot);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(1), left.DisassociateTime);
        Assert.Null(left.AssociateTime);
        Assert.True(StrictMetadataReader.TryRead(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch.AddMinutes(2)), out var snapshot, out error), error);
        Assert.Contains(snapshot!.Participants, p => p.NameIds[0].Aor == "sip:agent@example.test");
        Assert.DoesNotContain(snapshot.Participants, p => p.ParticipantId == oldBot);
    }
}
