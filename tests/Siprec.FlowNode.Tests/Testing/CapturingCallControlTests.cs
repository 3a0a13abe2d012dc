using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Nodes;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Testing;
using Xunit;

namespace Siprec.FlowNode.Tests.Testing;

/// <summary>The packaged call control a designer's node tests use instead of a mock: what it captures and how it answers.</summary>
public sealed class CapturingCallControlTests
{
    private static readonly NodeTestHost Host = new() { AccountSid = "AC-1" };

    [Fact]
    public async Task Start_CapturesTheInfoTheGatewayWouldReceive_AndTheNodeRecords()
    {
        var call = new CapturingCallControl { CallSid = "CA-42" };

        var result = await Host.RunCallRecordingAsync(
            new CallRecordingNodeConfig { Activity = "startCallRecording", RecordingServer = "{{ cc.srs }}", RecordingId = "rec-1" },
            call, context: JObject.Parse("""{"srs":"sip:a@127.0.0.1, sip:b@127.0.0.1"}"""));

        Assert.Equal(NodeOutcome.Succeeded, result.Outcome);
        Assert.Equal(CallRecordingState.On, result.RecordingState);
        var info = Assert.Single(call.Infos);
        Assert.Equal("startCallRecording", info.GetHeader("X-Reason"));
        Assert.Equal("sip:a@127.0.0.1,sip:b@127.0.0.1", info.GetHeader("X-Srs-Url")!.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("rec-1", info.GetHeader("X-Srs-Recording-ID"));
        Assert.Equal(["info:startCallRecording"], call.Events);
    }

    [Fact]
    public async Task AnswerOtherThan200_IsWhatTheNodeSees()
    {
        var call = new CapturingCallControl { Answer = _ => new InfoAnswer(503, "Service Unavailable", "399 gw \"Error starting SipRec call recording\"") };

        var result = await Host.RunCallRecordingAsync(new CallRecordingNodeConfig { Activity = "startCallRecording", RecordingServer = "sip:a@127.0.0.1" }, call);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Equal(CallRecordingState.Off, result.RecordingState);
        Assert.Contains("503", result.LastError, StringComparison.Ordinal);
        Assert.Single(call.Infos);
    }

    [Fact]
    public async Task AnAnswerThatThrows_PlaysAnUndeliverableInfo_TheNodeFails()
    {
        var call = new CapturingCallControl { Answer = _ => throw new InvalidOperationException("call is gone") };

        var result = await Host.RunCallRecordingAsync(new CallRecordingNodeConfig { Activity = "startCallRecording", RecordingServer = "sip:a@127.0.0.1" }, call);

        Assert.Equal(NodeOutcome.Failed, result.Outcome);
        Assert.Contains("call is gone", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayAndHangUp_AreKeptInOrder_WithTheInfos()
    {
        var call = new CapturingCallControl();

        await call.PlayAsync("welcome", CancellationToken.None);
        await call.SendInfoAsync(new Siprec.Control.InfoRequestContent([new("X-Reason", "pauseCallRecording")], null, null), CancellationToken.None);
        await call.HangUpAsync(CancellationToken.None);

        Assert.Equal(["play:welcome", "info:pauseCallRecording", "hangUp"], call.Events);
        Assert.Equal(["welcome"], call.Prompts);
        Assert.Equal(1, call.HangUps);
    }

    [Fact]
    public async Task ACancelledRequest_IsNotCaptured()
    {
        var call = new CapturingCallControl();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call.SendInfoAsync(new Siprec.Control.InfoRequestContent([], null, null), cancelled.Token));

        Assert.Empty(call.Infos);
        Assert.Empty(call.Events);
    }
}
