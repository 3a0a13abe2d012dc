using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Cli.Demo.Caller;
using Siprec.Gateway.Tests.Support;
using Siprec.Media.Rtp;
using Siprec.Sip.Messages;
using Siprec.Testing;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests;

/// <summary>The gateway on real UDP sockets on 127.0.0.1: calls, flows, INFO over SIP, trust.</summary>
public sealed class RecordingGatewayTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-gw-").FullName;

    private GatewayOptions Options(string? flowJson = null, JObject? context = null, IReadOnlyList<string>? trusted = null)
    {
        string? flowPath = null;
        if (flowJson is not null)
        {
            flowPath = Path.Combine(_dir, "flow.json");
            File.WriteAllText(flowPath, flowJson);
        }
        Tone.Write(Path.Combine(_dir, "prompt-beep.wav"), 0.6);
        return new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            FlowPath = flowPath,
            PromptDirectory = _dir,
            FlowContext = context ?? new JObject(),
            NoAnswerTimeout = TimeSpan.FromSeconds(2),
            TrustedPeers = trusted ?? ["127.0.0.1/8", "::1/128"],
        };
    }

    [Fact]
    public async Task ACallWithAStartPlayHangUpFlow_IsRecorded_AndTheSrsReceivesTheSiprecInviteAndBothStreams()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        const string flow = """
            {"name":"gw-test","nodes":[
              {"type":"callRecording","config":{"activity":"startCallRecording","recordingServer":"{{ cc.srs }}","recordingId":"gw-1"}},
              {"type":"play","config":{"prompt":"beep"}},
              {"type":"hangUp"}]}
            """;
        await using var gateway = new RecordingGateway(Options(flow, new JObject { ["srs"] = srs.Uri }), TimeProvider.System, NullLoggerFactory.Instance);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += s => ended.TrySetResult(s);
        await gateway.StartAsync(CancellationToken.None);
        await using var caller = new DemoCaller(new IPEndPoint(IPAddress.Loopback, 0), IPAddress.Loopback, TimeProvider.System, NullLoggerFactory.Instance);

        var result = await caller.CallAsync(SipUri.Parse($"sip:bot@{gateway.SipEndPoint}"), Tone.Audio(2), TimeSpan.FromSeconds(15), CancellationToken.None)
            .WaitAsync(Bound);
        var summary = await ended.Task.WaitAsync(Bound);
        await srs.ByeSeen.Task.WaitAsync(Bound);

        Assert.True(result.Answered);
        Assert.Equal(200, result.FinalStatus);
        Assert.True(result.HungUpByRemote);
        Assert.True(result.RtpPacketsReceived > 0, "the caller heard no RTP from the bot");
        Assert.True(result.RtpPacketsSent > 0);

        Assert.Matches("^CA[0-9a-f]{32}$", summary.CallSid);
        Assert.Contains(summary.InfoExchanges, i => i.Reason == "startCallRecording" && i.StatusCode == 200);
        Assert.Contains(summary.RecorderOutcomes, o => o.SrsUri == srs.Uri && o.Kind == Siprec.Recording.SrsOutcomeKind.Accepted);
        Assert.NotNull(summary.Flow);
        Assert.True(summary.Flow!.AllSucceeded, string.Join("; ", summary.Flow.Nodes.Select(n => $"{n.Type}: {n.Outcome} {n.Error}")));

        var invite = await srs.InviteSeen.Task.WaitAsync(Bound);
        Assert.Equal("siprec", invite.GetHeader("Require"));
        Assert.StartsWith("multipart/mixed", invite.ContentType, StringComparison.OrdinalIgnoreCase);
        var (callerPackets, botPackets) = srs.RtpPackets;
        Assert.True(callerPackets > 0, "the SRS received no caller RTP");
        Assert.True(botPackets > 0, "the SRS received no bot RTP");
        Assert.Single(gateway.CompletedCalls);
    }

    [Fact]
    public async Task AnInviteFromASourceOutsideTheTrustedPeers_IsAnswered403_AndLogged()
    {
        var logs = new ListLoggerFactory();
        await using var gateway = new RecordingGateway(Options(trusted: ["10.0.0.0/8"]), TimeProvider.System, logs);
        await gateway.StartAsync(CancellationToken.None);
        await using var caller = new DemoCaller(new IPEndPoint(IPAddress.Loopback, 0), IPAddress.Loopback, TimeProvider.System, NullLoggerFactory.Instance);

        var result = await caller.CallAsync(SipUri.Parse($"sip:bot@{gateway.SipEndPoint}"), Tone.Audio(0.2), TimeSpan.FromSeconds(5), CancellationToken.None)
            .WaitAsync(Bound);

        Assert.False(result.Answered);
        Assert.Equal(403, result.FinalStatus);
        Assert.Equal(0, gateway.ActiveCallCount);
        Assert.Contains(logs.Lines, l => l.EventId == 1120 && l.Message.StartsWith("INVITE from untrusted source 127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordingLogLines_CarryTheCallSidScope()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        var logs = new ListLoggerFactory();
        await using var gateway = new RecordingGateway(Options(), TimeProvider.System, logs);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += s => ended.TrySetResult(s);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);
        await uac.InviteAsync(gateway.SipEndPoint, TestUac.Offer(rtp.LocalEndPoint.Port)).WaitAsync(Bound);

        await uac.SendInDialogAsync("INFO", [("X-Reason", "stopCallRecording")]).WaitAsync(Bound);
        await uac.SendInDialogAsync("BYE", []).WaitAsync(Bound);
        var summary = await ended.Task.WaitAsync(Bound);

        var refused = Assert.Single(logs.Lines, l => l.EventId == 1201);
        Assert.Equal(summary.CallSid, refused.CallSid);
        Assert.Contains("discarding stopCallRecording request because we are not recording", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposingTheGateway_HangsUpItsActiveCallsWithBye()
    {
        var gateway = new RecordingGateway(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);
        Assert.Equal(200, (await uac.InviteAsync(gateway.SipEndPoint, TestUac.Offer(rtp.LocalEndPoint.Port)).WaitAsync(Bound)).Response?.StatusCode);

        await gateway.DisposeAsync().AsTask().WaitAsync(Bound);

        var bye = await uac.ByeReceived.Task.WaitAsync(Bound);
        Assert.Equal(uac.Dialog.Id.CallId, bye.CallId);
        Assert.Single(gateway.CompletedCalls);
    }

    [Fact]
    public async Task ACallWhose2xxIsNeverAcked_IsHungUpWithByeAfter64T1()
    {
        var clock = new Siprec.Testing.ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new RecordingGateway(Options(), clock, NullLoggerFactory.Instance);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += s => ended.TrySetResult(s);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);
        Assert.Equal(200, (await uac.InviteAsync(gateway.SipEndPoint, TestUac.Offer(rtp.LocalEndPoint.Port), ack: false).WaitAsync(Bound)).Response?.StatusCode);

        Assert.False(uac.ByeReceived.Task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(33));

        await uac.ByeReceived.Task.WaitAsync(Bound);
        await ended.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task AnInviteThatDoesNotOfferPcmu_IsAnswered488()
    {
        await using var gateway = new RecordingGateway(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();

        var outcome = await uac.InviteAsync(gateway.SipEndPoint, TestUac.Offer(40000, "8")).WaitAsync(Bound);

        Assert.Equal(488, outcome.Response?.StatusCode);
        Assert.Equal(0, gateway.ActiveCallCount);
    }

    [Fact]
    public async Task AnInviteWhoseSdpIsOneOfMultipartAlternativeBodies_IsAnswered200()
    {
        await using var gateway = new RecordingGateway(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();
        // RFC 5621 §3: a UA may offer the same session in several forms; the gateway picks the SDP one.
        var body = "--alt\n" +
                   "Content-Type: text/plain\n\n" +
                   "an offer for audio on port 40000\n" +
                   "--alt\n" +
                   "Content-Type: application/sdp\n\n" +
                   TestUac.Offer(40000) +
                   "--alt--\n";

        var outcome = await uac.InviteAsync(gateway.SipEndPoint, body, contentType: "multipart/alternative;boundary=alt").WaitAsync(Bound);

        Assert.Equal(200, outcome.Response?.StatusCode);
        Assert.Equal("application/sdp", outcome.Response!.ContentType);
        Assert.Equal(1, gateway.ActiveCallCount);
    }

    [Fact]
    public async Task RecordingInfoOverSip_IsAnsweredOnTheCallsDialog_AndCallerByeStopsTheRecording()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var gateway = new RecordingGateway(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        var ended = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.CallEnded += s => ended.TrySetResult(s);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();
        await using var rtp = RtpSocket.Bind(IPAddress.Loopback);

        var invite = await uac.InviteAsync(gateway.SipEndPoint, TestUac.Offer(rtp.LocalEndPoint.Port)).WaitAsync(Bound);
        Assert.Equal(200, invite.Response?.StatusCode);

        var start = await uac.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)]).WaitAsync(Bound);
        var duplicate = await uac.SendInDialogAsync("INFO", [("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)]).WaitAsync(Bound);
        var plain = await uac.SendInDialogAsync("INFO", [("X-Other", "1")]).WaitAsync(Bound);
        var bye = await uac.SendInDialogAsync("BYE", []).WaitAsync(Bound);
        var summary = await ended.Task.WaitAsync(Bound);
        await srs.ByeSeen.Task.WaitAsync(Bound);

        Assert.Equal(200, start.Response?.StatusCode);
        Assert.Equal(400, duplicate.Response?.StatusCode);
        Assert.Equal($"399 {gateway.SipEndPoint} \"discarding duplicate startCallRecording request for a call\"", duplicate.Response?.GetHeader("Warning"));
        Assert.Equal(200, plain.Response?.StatusCode);
        Assert.Equal(200, bye.Response?.StatusCode);
        Assert.Null(summary.Flow);
        Assert.Equal([200, 400], summary.InfoExchanges.Select(i => i.StatusCode));
        Assert.Contains(summary.RecordingEvents, e => e.Kind == Siprec.Recording.RecordingEventKind.Stopped);
    }

    [Fact]
    public async Task ARequestForAnUnknownDialog_IsAnswered481_AndOptionsIsAnswered200()
    {
        await using var gateway = new RecordingGateway(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await using var uac = new TestUac();

        var bye = await uac.SendAsync(uac.NewRequest("BYE", gateway.SipEndPoint, toTag: "nosuchtag"), gateway.SipEndPoint).WaitAsync(Bound);
        var options = await uac.SendAsync(uac.NewRequest("OPTIONS", gateway.SipEndPoint), gateway.SipEndPoint).WaitAsync(Bound);

        Assert.Equal(481, bye.Response?.StatusCode);
        Assert.Equal(200, options.Response?.StatusCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
