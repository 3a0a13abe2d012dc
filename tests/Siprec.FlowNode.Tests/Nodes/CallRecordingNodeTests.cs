using Moq;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Nodes;
using Siprec.FlowNode.Scripting;
using Siprec.FlowNode.Flows;
using Siprec.FlowNode.Testing;

namespace Siprec.FlowNode.Tests.Nodes;

public sealed class CallRecordingNodeTests
{
    private static readonly JObject Context = JObject.Parse("{\"srsList\":[\"sip:a@127.0.0.1\",\"sip:b@127.0.0.1\"],\"recordingId\":\"rec-7\"}");

    private static readonly NodeTestHost Host = new() { AccountSid = "AC-1", ApplicationSid = "AP-1" };

    private static JObject Config(string activity, string? server = null, string? id = null)
    {
        var config = new JObject { ["activity"] = activity };
        if (server is not null) config["recordingServer"] = server;
        if (id is not null) config["recordingId"] = id;
        return config;
    }

    private static JObject WithState(string state) =>
        new() { ["callRecording"] = new JObject { ["state"] = state, ["recordingId"] = "rec-7", ["lastError"] = null } };

    [Fact]
    public async Task Start_SendsExactlyTheStartHeaders_AndTurnsStateOn()
    {
        var call = new TestCall();

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "{{ cc.srsList.join(',') }}", "{{ cc.recordingId }}"), call.Object, context: Context);

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        var info = Assert.Single(call.Infos);
        Assert.Equal(
        [
            new("X-Reason", "startCallRecording"),
            new("X-Srs-Url", "sip:a@127.0.0.1,sip:b@127.0.0.1"),
            new("X-Srs-Recording-ID", "rec-7"),
            new("X-Call-Sid", "CA-test"),
            new("X-Account-Sid", "AC-1"),
            new KeyValuePair<string, string>("X-Application-Sid", "AP-1"),
        ], info.Headers);
        Assert.Null(info.Body);
        Assert.Equal("on", result.RecordingState);
        Assert.Equal("rec-7", (string?)result.Context["callRecording"]!["recordingId"]);
        Assert.Null(result.LastError);
    }

    [Theory]
    [InlineData("stopCallRecording", "on", "off")]
    [InlineData("stopCallRecording", "paused", "off")]
    [InlineData("pauseCallRecording", "on", "paused")]
    [InlineData("resumeCallRecording", "paused", "on")]
    public async Task OtherActivities_SendReasonAndSidsOnly_AndMoveTheState(string activity, string from, string to)
    {
        var call = new TestCall();

        var result = await Host.RunAsync("callRecording", Config(activity, "{{ cc.ignored }}"), call.Object, context: WithState(from));

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        Assert.Equal(
        [
            new("X-Reason", activity),
            new("X-Call-Sid", "CA-test"),
            new("X-Account-Sid", "AC-1"),
            new KeyValuePair<string, string>("X-Application-Sid", "AP-1"),
        ], Assert.Single(call.Infos).Headers);
        Assert.Equal(to, result.RecordingState);
    }

    [Fact]
    public async Task Start_TrimsTheServerList()
    {
        var call = new TestCall();

        await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a, sip:b"), call.Object);

        Assert.Equal("sip:a,sip:b", call.Infos[0].GetHeader("X-Srs-Url"));
    }

    [Theory]
    [InlineData("wss://x.example.com")]
    [InlineData("https://x.example.com")]
    [InlineData("siprec.example.com")]
    [InlineData("10.0.0.5")]
    public async Task Start_RejectsNonSipServers_NamingTheEntry_WithoutSending(string entry)
    {
        var call = new TestCall();

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:ok@127.0.0.1, " + entry), call.Object);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal("Call Recording Server (recordingServer): X-Srs-Url accepts only sip: or sips: URIs: " + entry, result.Error);
        Assert.Equal(result.Error, result.LastError);
        Assert.Equal("off", result.RecordingState);
        call.Mock.Verify(c => c.SendInfoAsync(It.IsAny<InfoRequestContent>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SecondStart_FailsWithAlreadyStarted_AndSendsNothing()
    {
        var call = new TestCall();
        var first = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1"), call.Object);

        var second = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1"), call.Object, context: first.Context);

        Assert.Equal(NodeOutcome.Failed, second.Outcome);
        Assert.Equal("Cannot start recording when recording is already started", second.Error);
        Assert.Equal("Cannot start recording when recording is already started", second.LastError);
        Assert.Equal("on", second.RecordingState);
        Assert.Single(call.Infos);
        Assert.Contains(second.Logs, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Message.Contains("already started"));
    }

    [Fact]
    public async Task StartWhilePaused_FailsWithAlreadyStarted()
    {
        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a"), new TestCall().Object, context: WithState("paused"));
        Assert.Equal("Cannot start recording when recording is already started", result.Error);
    }

    [Theory]
    [InlineData("stopCallRecording", "off", "Cannot stop recording when recording is off: it was not started")]
    [InlineData("pauseCallRecording", "off", "Cannot pause recording when recording is off: it must be on")]
    [InlineData("pauseCallRecording", "paused", "Cannot pause recording when recording is paused: it must be on")]
    [InlineData("resumeCallRecording", "on", "Cannot resume recording when recording is on: it must be paused")]
    [InlineData("resumeCallRecording", "off", "Cannot resume recording when recording is off: it must be paused")]
    public async Task InvalidTransitions_FailNamingTheState_WithoutSending(string activity, string state, string error)
    {
        var call = new TestCall();

        var result = await Host.RunAsync("callRecording", Config(activity), call.Object, context: WithState(state));

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal(error, result.Error);
        Assert.Equal(error, result.LastError);
        Assert.Equal(state, result.RecordingState);
        Assert.Empty(call.Infos);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{{ cc.missing }}")]
    [InlineData("{{ undefined }}")]
    [InlineData("{{ null }}")]
    public async Task Start_OmitsRecordingId_WhenEmptyOrUndefined(string id)
    {
        var call = new TestCall();

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1", id), call.Object, context: Context);

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        var info = Assert.Single(call.Infos);
        Assert.Null(info.GetHeader("X-Srs-Recording-ID"));
        Assert.DoesNotContain(info.Headers, h => h.Value.Contains("undefined") || h.Value.Contains("null"));
    }

    [Fact]
    public async Task Start_OmitsRecordingId_WhenTheFieldIsAbsent()
    {
        var call = new TestCall();
        await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1"), call.Object);
        Assert.Null(call.Infos[0].GetHeader("X-Srs-Recording-ID"));
    }

    [Fact]
    public async Task Start_FailsWhenServerIsEmpty_NamingFieldExpressionAndWhy()
    {
        var call = new TestCall();

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "{{ cc.notThere }}"), call.Object);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.StartsWith("startCallRecording request is missing X-Srs-Url header: Call Recording Server (recordingServer) is required", result.Error);
        Assert.Contains("{{ cc.notThere }}", result.Error);
        Assert.Contains("evaluated to undefined", result.Error);
        Assert.Empty(call.Infos);
        Assert.Contains(result.Logs, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("cc.notThere"));
    }

    [Fact]
    public async Task Start_FailsWhenServerFieldIsMissing()
    {
        var result = await Host.RunAsync("callRecording", Config("startCallRecording"), new TestCall().Object);
        Assert.Equal("startCallRecording request is missing X-Srs-Url header: Call Recording Server (recordingServer) is required for startCallRecording: '' gave no SIP URI (the field is empty)", result.Error);
    }

    [Theory]
    [InlineData("{{ 'sip:a@127.0.0.1\\r\\nX-Evil: 1' }}", "Call Recording Server (recordingServer)")]
    [InlineData("{{ cc.evil }}", "Call Recording ID (recordingId)")]
    public async Task Start_RejectsCrLfInAValue_NamingTheField(string expression, string field)
    {
        var call = new TestCall();
        var context = JObject.Parse("{\"evil\":\"x\\nX-Evil: 1\"}");
        var config = field.EndsWith("(recordingServer)", StringComparison.Ordinal)
            ? Config("startCallRecording", expression)
            : Config("startCallRecording", "sip:a@127.0.0.1", expression);

        var result = await Host.RunAsync("callRecording", config, call.Object, context: context);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.StartsWith(field + " evaluated to a value containing CR or LF", result.Error);
        Assert.DoesNotContain('\n', result.Error!);
        Assert.Empty(call.Infos);
    }

    [Fact]
    public async Task Start_FailsOnAnEndlessLoopInTheServerField()
    {
        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "{{ while(true){} }}"), new TestCall().Object);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Contains("recordingServer", result.Error);
        Assert.Contains("loop forever", result.Error);
    }

    [Fact]
    public async Task Start_AcceptsModernJavaScriptInBothFields()
    {
        var call = new TestCall();
        var result = await Host.RunAsync("callRecording",
            Config("startCallRecording", "{{ cc.srsList?.filter(u => u.includes('@')).join(',') }}", "{{ `case-${cc.recordingId ?? 'none'}` }}"),
            call.Object, context: Context);

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        var info = Assert.Single(call.Infos);
        Assert.Equal("sip:a@127.0.0.1,sip:b@127.0.0.1", info.GetHeader("X-Srs-Url"));
        Assert.Equal("case-rec-7", info.GetHeader("X-Srs-Recording-ID"));
    }

    [Fact]
    public async Task Start_ReportsASyntaxErrorInTheRecordingId_NamingTheFieldByItsLabel()
    {
        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a", "{{ cc.recordingId + }}"), new TestCall().Object, context: Context);

        Assert.StartsWith("Call Recording ID (recordingId): CognigyScript '{{ cc.recordingId + }}' has a syntax error (line 1", result.Error);
    }

    [Fact]
    public async Task Start_AppliesTheRecorderLimit()
    {
        var host = new NodeTestHost { RecordingOptions = new CallRecordingNodeOptions { MaxRecorders = 1 } };
        var result = await host.RunAsync("callRecording", Config("startCallRecording", "{{ cc.srsList.join(',') }}"), new TestCall().Object, context: Context);
        Assert.Equal("Call Recording Server (recordingServer): too many recorders: 2 (at most 1)", result.Error);
    }

    [Fact]
    public async Task NonOkAnswer_KeepsTheState_AndLastErrorHasCodeAndWarningText()
    {
        var call = new TestCall(503, "Service Unavailable", "399 gw.example.com \"Error starting SipRec call recording: sip:a@127.0.0.1: 486 Busy Here\"");

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a@127.0.0.1"), call.Object);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal("startCallRecording refused: INFO answered 503 Service Unavailable: Error starting SipRec call recording: sip:a@127.0.0.1: 486 Busy Here", result.LastError);
        Assert.Equal("off", result.RecordingState);
        Assert.Equal(503, result.Result.Answer!.StatusCode);
    }

    [Fact]
    public async Task OnlyA200ChangesTheState()
    {
        var call = new TestCall(202, "Accepted");
        var result = await Host.RunAsync("callRecording", Config("pauseCallRecording"), call.Object, context: WithState("on"));
        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal("on", result.RecordingState);
        Assert.StartsWith("pauseCallRecording refused: INFO answered 202 Accepted", result.LastError);
    }

    [Fact]
    public async Task AFailedSend_IsReportedNotThrown()
    {
        var call = new Mock<ICallControl>();
        call.Setup(c => c.CallSid).Returns("CA-x");
        call.Setup(c => c.SendInfoAsync(It.IsAny<InfoRequestContent>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("dialog terminated"));

        var result = await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a"), call.Object);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal("startCallRecording: sending the INFO failed: dialog terminated", result.LastError);
        Assert.Equal("off", result.RecordingState);
    }

    [Fact]
    public async Task ASuccessClearsThePreviousError()
    {
        var context = WithState("on");
        context["callRecording"]!["lastError"] = "older problem";
        var result = await Host.RunAsync("callRecording", Config("stopCallRecording"), new TestCall().Object, context: context);
        Assert.Null(result.LastError);
        Assert.Equal("off", result.RecordingState);
    }

    [Fact]
    public async Task RunAsync_DoesNotChangeTheCallersContext()
    {
        var context = (JObject)Context.DeepClone();
        await Host.RunAsync("callRecording", Config("startCallRecording", "sip:a"), new TestCall().Object, context: context);
        Assert.Null(context["callRecording"]);
    }

    [Fact]
    public async Task ExecuteAsync_RejectsAnUnknownActivity_NamingTheAcceptedValues()
    {
        var node = new CallRecordingNode(new CallRecordingNodeOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var inputs = new FlowInputs();

        var result = await node.ExecuteAsync(new CallRecordingNodeConfig { Activity = "startRecording" }, new TestCall().Object, inputs, CancellationToken.None);

        Assert.Equal("Activity (activity): unknown value 'startRecording' (expected one of startCallRecording, stopCallRecording, pauseCallRecording, resumeCallRecording)", result.Error);
        Assert.Equal(result.Error, (string?)inputs.Context["callRecording"]!["lastError"]);
    }

    [Fact]
    public async Task RunCallRecordingAsync_TakesTypedFields()
    {
        var call = new TestCall();
        var result = await Host.RunCallRecordingAsync(new CallRecordingNodeConfig { Activity = RecordingActionNames.Start, RecordingServer = "{{ ci.srs }}" },
            call.Object, input: JObject.Parse("{\"srs\":\"sips:rec@127.0.0.1\"}"));
        Assert.True(result.Result.Succeeded);
        Assert.Equal("sips:rec@127.0.0.1", call.Infos[0].GetHeader("X-Srs-Url"));
    }

    // The labels in the errors are the ones the node editor shows, so a designer can find the field from the error.
    [Theory]
    [InlineData("activity", "{\"activity\":\"start\"}")]
    [InlineData("recordingServer", "{\"activity\":\"startCallRecording\",\"recordingServer\":\"{{ 1 + }}\"}")]
    [InlineData("recordingId", "{\"activity\":\"startCallRecording\",\"recordingServer\":\"sip:a\",\"recordingId\":\"{{ 1 + }}\"}")]
    public async Task Errors_NameTheFieldByItsDescriptorLabelAndKey(string key, string config)
    {
        var label = Siprec.FlowNode.Descriptors.CallRecordingNodeDescriptor.Create().Fields.Single(f => f.Key == key).Label;
        var node = new CallRecordingNode(new CallRecordingNodeOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var result = await node.ExecuteAsync(CallRecordingNodeConfig.FromJson(JObject.Parse(config)), new TestCall().Object, new FlowInputs(), CancellationToken.None);

        Assert.StartsWith($"{label} ({key}): ", result.Error);
    }
}
