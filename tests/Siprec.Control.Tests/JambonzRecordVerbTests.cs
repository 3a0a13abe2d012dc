using Newtonsoft.Json.Linq;

namespace Siprec.Control.Tests;

public sealed class JambonzRecordVerbTests
{
    [Fact]
    public void ToJson_WritesSingleServerAsString()
    {
        var json = JambonzRecordVerb.ToJson(new RecordingControlRequest
        {
            Action = RecordingAction.Start,
            SrsUris = ["sip:srs@127.0.0.1"],
            RecordingId = "r1",
        });

        Assert.Equal("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":\"sip:srs@127.0.0.1\",\"recordingID\":\"r1\"}}", json);
    }

    [Fact]
    public void ToVerb_WritesSeveralServersAsArray_AndHeaders()
    {
        var verb = JambonzRecordVerb.ToVerb(new RecordingControlRequest
        {
            Action = RecordingAction.Start,
            SrsUris = ["sip:a", "sip:b"],
            CustomHeaders = new Dictionary<string, string> { ["X-Foo"] = "bar" },
        });

        Assert.Equal(new JArray("sip:a", "sip:b"), verb["record"]!["siprecServerURL"]);
        Assert.Equal("bar", (string?)verb["record"]!["headers"]!["X-Foo"]);
        Assert.Null(verb["record"]!["recordingID"]);
    }

    [Fact]
    public void ToVerb_WritesOnlyActionForStop()
    {
        Assert.Equal("{\"verb\":\"config\",\"record\":{\"action\":\"stopCallRecording\"}}",
            JambonzRecordVerb.ToJson(new RecordingControlRequest { Action = RecordingAction.Stop, SrsUris = ["sip:a"], RecordingId = "x" }));
    }

    [Fact]
    public void TryParse_RoundTripsAStart()
    {
        var original = new RecordingControlRequest
        {
            Action = RecordingAction.Start,
            SrsUris = ["sip:a", "sips:b"],
            RecordingId = "r2",
            CustomHeaders = new Dictionary<string, string> { ["X-Foo"] = "bar" },
        };

        Assert.True(JambonzRecordVerb.TryParse(JambonzRecordVerb.ToJson(original), 4, out var parsed, out var error), error?.Text);
        Assert.Equal(original.SrsUris, parsed!.SrsUris);
        Assert.Equal("r2", parsed.RecordingId);
        Assert.Equal("bar", parsed.CustomHeaders["X-Foo"]);
    }

    [Fact]
    public void TryParse_ValidatesServersLikeTheInfoHeader()
    {
        Assert.False(JambonzRecordVerb.TryParse("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":[\"sip:a\",\"https://x.example.com\"]}}",
            4, out _, out var error));
        Assert.Equal(new RecordingControlError(503, "X-Srs-Url accepts only sip: or sips: URIs: https://x.example.com"), error);
    }

    [Fact]
    public void TryParse_AcceptsACommaSeparatedServerString_AndNonStartActions()
    {
        Assert.True(JambonzRecordVerb.TryParse("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":\"sip:a, sip:b\",\"recordingID\":12}}",
            4, out var start, out _));
        Assert.Equal(["sip:a", "sip:b"], start!.SrsUris);
        Assert.Equal("12", start.RecordingId);

        Assert.True(JambonzRecordVerb.TryParse("{\"verb\":\"config\",\"record\":{\"action\":\"pauseCallRecording\"}}", 4, out var pause, out _));
        Assert.Equal(RecordingAction.Pause, pause!.Action);
    }

    [Theory]
    [InlineData("{\"verb\":\"say\"}")]
    [InlineData("{\"verb\":\"config\"}")]
    [InlineData("{\"verb\":\"config\",\"record\":{\"action\":\"record\"}}")]
    [InlineData("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":5}}")]
    [InlineData("{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\"}}")]
    [InlineData("[]")]
    [InlineData("{")]
    public void TryParse_RejectsMalformedVerbs_With400(string json)
    {
        Assert.False(JambonzRecordVerb.TryParse(json, 4, out var request, out var error));
        Assert.Null(request);
        Assert.Equal(400, error!.StatusCode);
    }
}
