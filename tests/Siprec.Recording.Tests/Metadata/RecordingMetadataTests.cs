using System.Text;
using System.Xml.Linq;
using Siprec.Control;
using Siprec.Recording.Metadata;
using Siprec.Recording.Tests.Fakes;

namespace Siprec.Recording.Tests.Metadata;

public sealed class RecordingMetadataTests
{
    private static readonly XNamespace Rec = RecordingMetadata.Ns;
    private static readonly XNamespace Ext = RecordingMetadata.ExtensionNs;

    [Fact]
    public void Snapshot_KeepsItsIds_AcrossSnapshots()
    {
        var metadata = new RecordingMetadata(SrcHarness.Call, SrcHarness.StartRequest("sip:srs@127.0.0.1"));

        var a = XDocument.Parse(Encoding.UTF8.GetString(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch, "1", "2")));
        var b = XDocument.Parse(Encoding.UTF8.GetString(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch.AddHours(1), "1", "2")));

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

        var xml = XDocument.Parse(Encoding.UTF8.GetString(metadata.BuildSnapshot(DateTimeOffset.UnixEpoch, "1", "2")));

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
}
