using System.Text;
using Siprec.Recording.Metadata;
using Siprec.Testing.Metadata;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Metadata;

public sealed class StrictMetadataReaderTests
{
    private static byte[] Conformance(string file) => File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc7865-metadata", file));

    [SkippableTheory]
    [InlineData("rfc-metadata-example-1.xml", MetadataDataMode.Complete)]
    [InlineData("rfc-metadata-example-2.xml", MetadataDataMode.Partial)]
    [InlineData("rfc-metadata-example-3.xml", MetadataDataMode.Complete)]
    [InlineData("rfc-metadata-example-5.xml", MetadataDataMode.Partial)]
    [InlineData("rfc-metadata-example-6.xml", MetadataDataMode.Partial)]
    public void TryRead_AcceptsTheConformanceExamples_WithTheirDataMode(string file, MetadataDataMode mode)
    {
        var ok = StrictMetadataReader.TryRead(Conformance(file), out var document, out var error);

        Assert.True(ok, error);
        Assert.Equal(mode, document!.DataMode);
    }

    [SkippableFact]
    public void TryRead_ReadsEveryElementOfTheRfcSnapshot()
    {
        Assert.True(StrictMetadataReader.TryRead(Conformance("rfc-metadata-example-1.xml"), out var d, out var error), error);

        Assert.Equal("7+OTCyoxTmqmqyA/1weDAg==", d!.Groups.Single().GroupId);
        Assert.Equal(new DateTimeOffset(2010, 12, 16, 23, 41, 7, TimeSpan.Zero), d.Groups[0].AssociateTime);
        Assert.Equal("7+OTCyoxTmqmqyA/1weDAg==", d.Sessions.Single().GroupRef);
        Assert.Equal(["sip:bob@biloxi.com", "sip:Paul@biloxi.com"], d.Participants.Select(p => p.NameIds.Single().Aor));
        Assert.Equal("Bob", d.Participants[0].NameIds[0].Name);
        Assert.Equal(["96", "97", "98", "99"], d.Streams.Select(s => s.Label));
        Assert.Equal(2, d.ParticipantSessionAssociations.Count);
        Assert.Equal(2, d.ParticipantStreamAssociations[0].Send.Count);
        Assert.Equal(2, d.ParticipantStreamAssociations[1].Recv.Count);
    }

    [SkippableFact]
    public void TryRead_RejectsTheVendorExampleThatIsNotWellFormed_WithAClearError()
    {
        var ok = StrictMetadataReader.TryRead(Conformance("rfc-metadata-example-4.xml"), out var document, out var error);

        Assert.False(ok);
        Assert.Null(document);
        Assert.Contains("not well-formed XML", error);
        Assert.Contains("naSRCme", error);
    }

    [SkippableFact]
    public void TryRead_ReadsTheHoldUpdate_AsAParticipantThatOnlyReceives()
    {
        Assert.True(StrictMetadataReader.TryRead(Conformance("rfc-metadata-example-5.xml"), out var d, out var error), error);

        var held = d!.ParticipantStreamAssociations.Single(a => a.ParticipantId == "srfBElmCRp2QB23b7Mpk0w==");
        Assert.Empty(held.Send);
        Assert.Equal(2, held.Recv.Count);
    }

    [Theory]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><participant participant_id='AAAAAAAAAAAAAAAAAAAAAA=='/><datamode>complete</datamode></recording>", "<datamode> comes after <participant>")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><datamode>complete</datamode><datamode>complete</datamode></recording>", "<datamode> appears more than once")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><datamode>sometimes</datamode></recording>", "'sometimes'")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><group group_id='not-base64!'/></recording>", "group_id 'not-base64!' is not base64 of a 16-byte UUID")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><group group_id='AAAA'/></recording>", "group_id 'AAAA' is not base64 of a 16-byte UUID")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><group group_id='AAAAAAAAAAAAAAAAAAAAAA=='><associate-time>2010-12-16T23:41:07+01:00</associate-time></group></recording>", "'2010-12-16T23:41:07+01:00' is not an xs:dateTime in UTC ending in Z")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><stream stream_id='AAAAAAAAAAAAAAAAAAAAAA==' session_id='BBBBBBBBBBBBBBBBBBBBBB=='><label>1</label></stream></recording>", "session_id 'BBBBBBBBBBBBBBBBBBBBBB==' refers to nothing")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><session session_id='AAAAAAAAAAAAAAAAAAAAAA=='/><stream stream_id='BBBBBBBBBBBBBBBBBBBBBB==' session_id='AAAAAAAAAAAAAAAAAAAAAA=='/></recording>", "has no <label>")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><participant participant_id='AAAAAAAAAAAAAAAAAAAAAA=='><nameID/></participant></recording>", "has no aor attribute")]
    [InlineData("<recording xmlns='urn:ietf:params:xml:ns:recording:1'><bogus/></recording>", "<bogus> is not allowed in <recording>")]
    [InlineData("<recording xmlns='urn:example'/>", "not <recording> in 'urn:ietf:params:xml:ns:recording:1'")]
    [InlineData("   ", "empty")]
    [InlineData("<recording", "not well-formed XML")]
    [InlineData("<!DOCTYPE r [<!ENTITY x 'y'>]><recording xmlns='urn:ietf:params:xml:ns:recording:1'/>", "not well-formed XML")]
    public void TryRead_RejectsDocumentsBreakingRfc7865_NamingTheElementAndValue(string xml, string expected)
    {
        var ok = StrictMetadataReader.TryRead(Encoding.UTF8.GetBytes(xml), out var document, out var error);

        Assert.False(ok);
        Assert.Null(document);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryRead_AcceptsPartialUpdatesWhoseReferencesPointIntoAnEarlierSnapshot()
    {
        const string xml = "<recording xmlns='urn:ietf:params:xml:ns:recording:1'><datamode>partial</datamode>"
            + "<participantstreamassoc participant_id='AAAAAAAAAAAAAAAAAAAAAA=='><recv>BBBBBBBBBBBBBBBBBBBBBB==</recv></participantstreamassoc></recording>";

        Assert.True(StrictMetadataReader.TryRead(Encoding.UTF8.GetBytes(xml), out _, out var error), error);
    }

    [Fact]
    public void TryReadSnapshotRequest_ReadsTheReason_AndRejectsOtherRoots()
    {
        var request = Encoding.UTF8.GetBytes("<?xml version='1.0'?><requestsnapshot xmlns='urn:ietf:params:xml:ns:recording:1'><requestreason xml:lang='en'>SRS internal error</requestreason></requestsnapshot>");

        Assert.True(StrictMetadataReader.TryReadSnapshotRequest(request, out var reason, out var error), error);
        Assert.Equal("SRS internal error", reason);
        Assert.False(StrictMetadataReader.TryReadSnapshotRequest(Encoding.UTF8.GetBytes("<recording xmlns='urn:ietf:params:xml:ns:recording:1'/>"), out _, out error));
        Assert.Contains("not <requestsnapshot>", error);
    }
}
