using System.Text;

namespace Siprec.Control.Tests;

public sealed class InfoRequestMappingTests
{
    private static readonly RecordingControlRequest FullStart = new()
    {
        Action = RecordingAction.Start,
        SrsUris = ["sip:srs1@127.0.0.1:5070", "sips:srs2.example.com"],
        RecordingId = "rec-42",
        CallSid = "CA1",
        AccountSid = "AC1",
        ApplicationSid = "AP1",
        CustomHeaders = new Dictionary<string, string> { ["X-Foo"] = "bar", ["X-Customer"] = "7" },
    };

    [Fact]
    public void ToInfo_WritesStartHeadersInDesignOrder_AndCustomHeadersAsJsonBody()
    {
        var info = InfoRequestMapping.ToInfo(FullStart);

        Assert.Equal(
        [
            new("X-Reason", "startCallRecording"),
            new("X-Srs-Url", "sip:srs1@127.0.0.1:5070,sips:srs2.example.com"),
            new("X-Srs-Recording-ID", "rec-42"),
            new("X-Call-Sid", "CA1"),
            new("X-Account-Sid", "AC1"),
            new KeyValuePair<string, string>("X-Application-Sid", "AP1"),
        ], info.Headers);
        Assert.Equal("application/json", info.ContentType);
        Assert.Equal("{\"X-Foo\":\"bar\",\"X-Customer\":\"7\"}", info.Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ToInfo_OmitsRecordingIdWhenEmpty(string? recordingId)
    {
        var info = InfoRequestMapping.ToInfo(FullStart with { RecordingId = recordingId, CustomHeaders = new Dictionary<string, string>() });

        Assert.Null(info.GetHeader("X-Srs-Recording-ID"));
        Assert.DoesNotContain(info.Headers, h => h.Value.Contains("undefined"));
        Assert.Null(info.Body);
        Assert.Null(info.ContentType);
    }

    [Theory]
    [InlineData(RecordingAction.Stop, "stopCallRecording")]
    [InlineData(RecordingAction.Pause, "pauseCallRecording")]
    [InlineData(RecordingAction.Resume, "resumeCallRecording")]
    public void ToInfo_WritesOnlyReasonAndSids_ForNonStartActions(RecordingAction action, string reason)
    {
        var info = InfoRequestMapping.ToInfo(FullStart with { Action = action, CustomHeaders = new Dictionary<string, string>() });

        Assert.Equal(
        [
            new("X-Reason", reason),
            new("X-Call-Sid", "CA1"),
            new("X-Account-Sid", "AC1"),
            new KeyValuePair<string, string>("X-Application-Sid", "AP1"),
        ], info.Headers);
    }

    [Fact]
    public void ToInfo_RefusesHeaderInjection()
    {
        Assert.Throws<ArgumentException>(() => InfoRequestMapping.ToInfo(FullStart with { RecordingId = "x\r\nX-Evil: 1" }));
        Assert.Throws<ArgumentException>(() => InfoRequestMapping.ToInfo(FullStart with
        {
            CustomHeaders = new Dictionary<string, string> { ["X-Foo"] = "a\nb" },
        }));
    }

    [Fact]
    public void ToInfo_RefusesStartWithoutUris()
    {
        Assert.Throws<ArgumentException>(() => InfoRequestMapping.ToInfo(FullStart with { SrsUris = [] }));
    }

    [Fact]
    public void TryFromInfo_RoundTripsEveryField()
    {
        var info = InfoRequestMapping.ToInfo(FullStart);

        var ok = InfoRequestMapping.TryFromInfo(info.GetHeader, info.ContentType, Encoding.UTF8.GetBytes(info.Body!), 4, out var request, out var error);

        Assert.True(ok, error?.Text);
        Assert.Equal(FullStart.Action, request!.Action);
        Assert.Equal(FullStart.SrsUris, request.SrsUris);
        Assert.Equal("rec-42", request.RecordingId);
        Assert.Equal(("CA1", "AC1", "AP1"), (request.CallSid, request.AccountSid, request.ApplicationSid));
        Assert.Equal(FullStart.CustomHeaders.OrderBy(p => p.Key), request.CustomHeaders.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData(RecordingAction.Stop)]
    [InlineData(RecordingAction.Pause)]
    [InlineData(RecordingAction.Resume)]
    public void TryFromInfo_RoundTripsNonStartActions_WithoutNeedingSrsUrl(RecordingAction action)
    {
        var info = InfoRequestMapping.ToInfo(new RecordingControlRequest { Action = action, CallSid = "CA9" });

        Assert.True(InfoRequestMapping.TryFromInfo(info.GetHeader, null, default, 4, out var request, out _));
        Assert.Equal(action, request!.Action);
        Assert.Equal("CA9", request.CallSid);
        Assert.Empty(request.SrsUris);
    }

    [Fact]
    public void TryFromInfo_ReadsHeadersCaseInsensitivelyThroughTheCallback()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-reason"] = " startCallRecording ",
            ["x-srs-url"] = "sip:a, sip:b",
        };

        Assert.True(InfoRequestMapping.TryFromInfo(n => headers.GetValueOrDefault(n), null, default, 4, out var request, out _));
        Assert.Equal(["sip:a", "sip:b"], request!.SrsUris);
        Assert.Null(request.RecordingId);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    public void TryFromInfo_ReadsXRecordingRequired_OnAStart(string? value, bool? expected)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Reason"] = "startCallRecording", ["X-Srs-Url"] = "sip:a" };
        if (value is not null) headers["x-recording-required"] = value;

        Assert.True(InfoRequestMapping.TryFromInfo(n => headers.GetValueOrDefault(n), null, default, 4, out var request, out var error), error?.Text);
        Assert.Equal(expected, request!.RecordingRequired);
    }

    [Fact]
    public void TryFromInfo_RefusesABadXRecordingRequired_With400NamingTheHeader()
    {
        var headers = new Dictionary<string, string> { ["X-Reason"] = "startCallRecording", ["X-Srs-Url"] = "sip:a", ["X-Recording-Required"] = "always" };

        Assert.False(InfoRequestMapping.TryFromInfo(n => headers.GetValueOrDefault(n), null, default, 4, out _, out var error));
        Assert.Equal(400, error!.StatusCode);
        Assert.Contains("X-Recording-Required", error.Text, StringComparison.Ordinal);
        Assert.Contains("always", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToInfo_WritesXRecordingRequired_OnlyWhenSet_AndItRoundTrips()
    {
        Assert.Null(InfoRequestMapping.ToInfo(FullStart).GetHeader(InfoRequestMapping.RecordingRequiredHeader));
        var info = InfoRequestMapping.ToInfo(FullStart with { RecordingRequired = true });

        Assert.Equal("true", info.GetHeader(InfoRequestMapping.RecordingRequiredHeader));
        Assert.True(InfoRequestMapping.TryFromInfo(info.GetHeader, info.ContentType, Encoding.UTF8.GetBytes(info.Body!), 4, out var request, out _));
        Assert.True(request!.RecordingRequired);
    }

    [Fact]
    public void TryFromInfo_RejectsInvalidJsonBody()
    {
        var ok = InfoRequestMapping.TryFromInfo(Headers("stopCallRecording"), "application/json", "{\"X-Foo\": "u8, 4, out var request, out var error);

        Assert.False(ok);
        Assert.Null(request);
        Assert.Equal(new RecordingControlError(400, "invalid JSON body in recording request"), error);
    }

    [Theory]
    [InlineData("{} {}")]
    [InlineData("not json")]
    [InlineData("{'a':")]
    public void TryFromInfo_RejectsBodiesThatAreNotOneJsonDocument(string body)
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("stopCallRecording"), null, Encoding.UTF8.GetBytes(body), 4, out _, out var error));
        Assert.Equal("invalid JSON body in recording request", error!.Text);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"X-Foo\":{\"nested\":1}}")]
    [InlineData("\"text\"")]
    public void TryFromInfo_RejectsJsonThatIsNotAHeaderObject(string body)
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("stopCallRecording"), "application/json", Encoding.UTF8.GetBytes(body), 4, out _, out var error));
        Assert.Equal(400, error!.StatusCode);
    }

    [Fact]
    public void TryFromInfo_RejectsInjectedCustomHeaderValue()
    {
        var body = "{\"X-Foo\":\"a\\r\\nX-Evil: 1\"}"u8;
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("stopCallRecording"), "application/json", body, 4, out _, out var error));
        Assert.Equal(new RecordingControlError(400, "invalid custom header in recording request: X-Foo: its value holds a control character"), error);
    }

    [Theory]
    [InlineData("i", "Call-ID")]
    [InlineData("v", "Via")]
    [InlineData("CALL-ID", "CALL-ID")]
    [InlineData("P-Asserted-Identity", "P-Asserted-Identity")]
    [InlineData("Proxy-Require", "Proxy-Require")]
    public void TryFromInfo_RefusesACustomHeaderTheStackOwns_InAnySpelling_NamingIt(string name, string full)
    {
        var body = Encoding.UTF8.GetBytes("{\"X-Ok\":\"1\",\"" + name + "\":\"smuggled\"}");

        Assert.False(InfoRequestMapping.TryFromInfo(Headers("startCallRecording", "sip:a"), "application/json", body, 4, out _, out var error));

        Assert.Equal(400, error!.StatusCode);
        Assert.StartsWith("invalid custom header in recording request: " + name + ": a custom header must be named X-", error.Text, StringComparison.Ordinal);
        if (full != name) Assert.Contains("compact form of " + full, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToInfo_RefusesACustomHeaderThePolicyRefuses()
    {
        var request = FullStart with { CustomHeaders = new Dictionary<string, string> { ["i"] = "second-call-id" } };

        var ex = Assert.Throws<ArgumentException>(() => InfoRequestMapping.ToInfo(request));

        Assert.Contains("compact form of Call-ID", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryFromInfo_RejectsNonJsonContentType_With415()
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("stopCallRecording"), "text/plain", "hello"u8, 4, out _, out var error));
        Assert.Equal(415, error!.StatusCode);
    }

    [Fact]
    public void TryFromInfo_AcceptsJsonContentTypeWithParameters()
    {
        Assert.True(InfoRequestMapping.TryFromInfo(Headers("stopCallRecording"), "Application/JSON; charset=utf-8", "{\"X-A\":1}"u8, 4, out var request, out _));
        Assert.Equal("1", request!.CustomHeaders["X-A"]);
    }

    [Fact]
    public void TryFromInfo_RejectsUnknownReason_WithClearText()
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("startRecording"), null, default, 4, out _, out var error));
        Assert.Equal(400, error!.StatusCode);
        Assert.Equal("unknown X-Reason in recording request: startRecording (expected one of startCallRecording, stopCallRecording, pauseCallRecording, resumeCallRecording)", error.Text);
    }

    [Fact]
    public void TryFromInfo_RejectsMissingReason()
    {
        Assert.False(InfoRequestMapping.TryFromInfo(_ => null, null, default, 4, out _, out var error));
        Assert.Equal(new RecordingControlError(400, "recording request is missing X-Reason header"), error);
    }

    [Fact]
    public void TryFromInfo_RejectsStartWithoutSrsUrl()
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("startCallRecording"), null, default, 4, out _, out var error));
        Assert.Equal(new RecordingControlError(400, "startCallRecording request is missing X-Srs-Url header"), error);
    }

    [Fact]
    public void TryFromInfo_RejectsWebSocketRecorder_With503()
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("startCallRecording", "wss://x.example.com"), null, default, 4, out _, out var error));
        Assert.Equal(new RecordingControlError(503, "X-Srs-Url accepts only sip: or sips: URIs: wss://x.example.com"), error);
    }

    [Fact]
    public void TryFromInfo_AppliesTheRecorderLimit()
    {
        Assert.False(InfoRequestMapping.TryFromInfo(Headers("startCallRecording", "sip:a,sip:b,sip:c"), null, default, 2, out _, out var error));
        Assert.Equal("too many recorders: 3 (at most 2)", error!.Text);
    }

    private static Func<string, string?> Headers(string reason, string? srsUrl = null) => name => name switch
    {
        "X-Reason" => reason,
        "X-Srs-Url" => srsUrl,
        _ => null,
    };
}
