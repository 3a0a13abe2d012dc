using Newtonsoft.Json.Linq;

namespace Siprec.Cli.Tests.Commands;

public sealed class NodeRunCommandTests
{
    private const string TwoServers = "{\"srs\":[\"sip:a.example.com\",\"sip:b.example.com:5070\"]}";

    [Fact]
    public async Task Start_PrintsTheInfo_WithTheEvaluatedServerList()
    {
        var (exit, output, _) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", "{{cc.srs.join(\",\")}}", "--context", TwoServers);

        Assert.Equal(0, exit);
        Assert.Equal(
            "INFO sip:bot@gateway.invalid SIP/2.0\r\n" +
            "X-Reason: startCallRecording\r\n" +
            "X-Srs-Url: sip:a.example.com,sip:b.example.com:5070\r\n" +
            "X-Call-Sid: CA-dry-run\r\n" +
            "Content-Length: 0\r\n\r\n", output);
    }

    [Fact]
    public async Task Start_PrintsTheRecordingId_FromTheInput()
    {
        var (exit, output, _) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", "sip:a.example.com",
            "--recording-id", "{{ ci.data.caseId }}-{{ cp.name }}", "--input", "{\"data\":{\"caseId\":\"c-1\"}}", "--profile", "{\"name\":\"ada\"}", "--call-sid", "CA42");

        Assert.Equal(0, exit);
        Assert.Contains("X-Srs-Recording-ID: c-1-ada\r\n", output, StringComparison.Ordinal);
        Assert.Contains("X-Call-Sid: CA42\r\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonSipServer_ExitsNonZero_NamingTheValue()
    {
        var (exit, output, error) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", "wss://x");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("error: Call Recording Server (recordingServer): X-Srs-Url accepts only sip: or sips: URIs: wss://x", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VoiceGatewayRuntime_PrintsTheApiOutputWithTheJambonzVerb()
    {
        var (exit, output, _) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", "{{cc.srs.join(\",\")}}",
            "--context", TwoServers, "--runtime", "vg2");

        Assert.Equal(0, exit);
        Assert.True(JToken.DeepEquals(
            JObject.Parse("{\"_cognigy\":{\"_voiceGateway2\":{\"json\":{\"verb\":\"config\",\"record\":{\"action\":\"startCallRecording\",\"siprecServerURL\":[\"sip:a.example.com\",\"sip:b.example.com:5070\"]}}}}}"),
            JObject.Parse(output)));
    }

    [Fact]
    public async Task Stop_NeedsARecordingInTheContext_AndSaysSoOtherwise()
    {
        var refused = await NodeCommandRunner.RunAsync("run", "--activity", "stopCallRecording");
        var stopped = await NodeCommandRunner.RunAsync("run", "--activity", "stopCallRecording", "--context", "{\"callRecording\":{\"state\":\"on\"}}");

        Assert.Equal(1, refused.Exit);
        Assert.Contains("Cannot stop recording when recording is off: it was not started", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, stopped.Exit);
        Assert.StartsWith("INFO sip:bot@gateway.invalid SIP/2.0\r\nX-Reason: stopCallRecording\r\n", stopped.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ while(true){} }}", "does it loop forever?")]
    [InlineData("{{ cc.srs.join( }}", "has a syntax error (line 1, column")]
    [InlineData("{{ let s = 'x'; for (let i = 0; i < 40; i++) s += s; s }}", "was stopped after")]
    [InlineData("{{ cc.missing }}", "evaluated to undefined")]
    [InlineData("{{ 'sip:a\\r\\nX-Evil: 1' }}", "refused to prevent SIP header injection")]
    public async Task ScriptProblems_ExitNonZero_WithTheExpressionAndWhy(string server, string why)
    {
        var (exit, output, error) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", server);

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("recordingServer", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModernJavaScript_InTheServerField_GivesTheInfo()
    {
        var (exit, output, _) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording",
            "--server", "{{ cc.srs?.map(u => `${u};transport=tcp`).join(',') ?? 'sip:fallback.example.com' }}", "--context", TwoServers);

        Assert.Equal(0, exit);
        Assert.Contains("X-Srs-Url: sip:a.example.com;transport=tcp,sip:b.example.com:5070;transport=tcp\r\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("{{ cc.missing }}", "{\"srs\":[]}")]
    public async Task EmptyOrUndefinedServer_SaysWhatDesignersSearchFor_NamingTheField(string server, string context)
    {
        var (exit, _, error) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", server, "--context", context);

        Assert.Equal(1, exit);
        Assert.Contains("error: startCallRecording request is missing X-Srs-Url header: Call Recording Server (recordingServer) is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("")]
    [InlineData("STARTCALLRECORDING")]
    public async Task UnknownActivity_PrintsOneLineListingTheValidOnes_AndExitsTwo(string activity)
    {
        var (exit, output, error) = await NodeCommandRunner.RunAsync("run", "--activity", activity);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"--activity '{activity}': expected one of startCallRecording, stopCallRecording, pauseCallRecording, resumeCallRecording",
            error.TrimEnd('\r', '\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--context", "{bad", "--context is not valid JSON")]
    [InlineData("--input", "[1]", "--input must be one JSON object")]
    [InlineData("--runtime", "jambonz", "--runtime 'jambonz': expected gateway or vg2")]
    public async Task UnusableOptions_ExitTwo_NamingTheOption(string option, string value, string message)
    {
        var (exit, _, error) = await NodeCommandRunner.RunAsync("run", "--activity", "startCallRecording", "--server", "sip:a", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
