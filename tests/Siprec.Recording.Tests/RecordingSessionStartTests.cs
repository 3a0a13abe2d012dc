using System.Xml.Linq;
using Moq;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transport;

namespace Siprec.Recording.Tests;

public sealed class RecordingSessionStartTests
{
    private static readonly XNamespace Rec = "urn:ietf:params:xml:ns:recording:1";
    private static readonly XNamespace Ext = "urn:siprec-flownode:params:xml:ns:recording-ext";

    [Fact]
    public async Task Start_SendsAnInviteOfTheDesignShape_ToTheSrs()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        Assert.True(result.Started);
        var invite = await srs.WaitForAsync(SipMethods.Invite);
        Assert.NotEqual(SrcHarness.Call.CallId, invite.CallId);
        Assert.Equal(srs.Uri, invite.RequestUri.ToString());
        Assert.Equal($"sip:siprec-src@127.0.0.1:{src.Client.SipEndPoint.Port}", invite.From!.Uri.ToString());
        Assert.False(string.IsNullOrEmpty(invite.From.Tag));
        Assert.Equal(srs.Uri, invite.To!.Uri.ToString());
        Assert.Contains("+sip.src", invite.GetHeader("Contact"));
        Assert.Equal("siprec", invite.GetHeader("Require"));
        Assert.Equal("timer", invite.GetHeader("Supported"));
        Assert.Equal("INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO", invite.GetHeader("Allow"));
        Assert.Equal("application/sdp, application/rs-metadata+xml, application/rs-metadata, application/rs-metadata-request", invite.GetHeader("Accept"));
        Assert.StartsWith("multipart/mixed", invite.ContentType);

        Assert.True(SiprecBody.TryReadParts(invite, out var sdp, out var parts));
        Assert.Equal(2, parts.Count);
        Assert.Equal("application/sdp", parts[0].ContentType);
        Assert.Equal("application/rs-metadata+xml", parts[1].ContentType);
        Assert.Equal("recording-session", parts[1].ContentDisposition);

        Assert.Equal(2, sdp!.Media.Count);
        Assert.Equal(["1", "2"], sdp.Media.Select(m => m.Label));
        Assert.All(sdp.Media, m =>
        {
            Assert.Equal("audio", m.Media);
            Assert.Equal(SdpDirection.SendOnly, m.Direction);
            Assert.Equal(["0", "101"], m.Formats);
            Assert.NotEqual(0, m.Port);
        });
        Assert.NotEqual(sdp.Media[0].Port, sdp.Media[1].Port);
        Assert.Equal("127.0.0.1", sdp.ConnectionFor(sdp.Media[0])!.Address);

        Assert.Equal(Siprec.Testing.Metadata.MetadataDataMode.Complete, InviteShape.ReadValidMetadata(invite).DataMode);
        var xml = InviteShape.ReadMetadata(parts);
        Assert.Equal(Rec + "recording", xml.Root!.Name);
        Assert.Equal("complete", xml.Root.Element(Rec + "datamode")!.Value);
        var session = xml.Root.Element(Rec + "session")!;
        Assert.False(string.IsNullOrEmpty(session.Element(Rec + "sipSessionID")!.Value));
        Assert.NotNull(xml.Root.Element(Rec + "group"));
        Assert.Equal(2, xml.Root.Elements(Rec + "participant").Count());
        Assert.Equal(["sip:alice@example.test", "sip:bot@example.test"],
            xml.Root.Elements(Rec + "participant").Select(p => p.Element(Rec + "nameID")!.Attribute("aor")!.Value));
        Assert.Equal("Alice <& Co>", xml.Root.Elements(Rec + "participant").First().Element(Rec + "nameID")!.Element(Rec + "name")!.Value);

        var ids = xml.Descendants().SelectMany(e => e.Attributes()).Where(a => a.Name.LocalName.EndsWith("_id", StringComparison.Ordinal)).Select(a => a.Value).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Equal(16, Convert.FromBase64String(id).Length));
        var times = xml.Descendants().Where(e => e.Name.LocalName.EndsWith("time", StringComparison.Ordinal)).Select(e => e.Value).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.EndsWith("Z", t));
        Assert.StartsWith("2026-03-01T10:00:00", session.Element(Rec + "start-time")!.Value);

        var streams = xml.Root.Elements(Rec + "stream").ToList();
        Assert.Equal(sdp.Media.Select(m => m.Label), streams.Select(s => s.Element(Rec + "label")!.Value));
        var streamIds = streams.Select(s => s.Attribute("stream_id")!.Value).ToHashSet();
        var participantIds = xml.Root.Elements(Rec + "participant").Select(p => p.Attribute("participant_id")!.Value).ToHashSet();
        var assocs = xml.Root.Elements(Rec + "participantstreamassoc").ToList();
        Assert.Equal(2, assocs.Count);
        Assert.All(assocs, a =>
        {
            Assert.Contains(a.Attribute("participant_id")!.Value, participantIds);
            Assert.Contains(a.Element(Rec + "send")!.Value, streamIds);
            Assert.Contains(a.Element(Rec + "recv")!.Value, streamIds);
        });
        Assert.NotNull(xml.Root.Element(Rec + "sessionrecordingassoc"));
        Assert.Equal(2, xml.Root.Elements(Rec + "participantsessionassoc").Count());

        var ext = xml.Descendants(Ext + "extensiondata").Single();
        Assert.Equal("rec-<42>&\"x\"", ext.Element(Ext + "recordingId")!.Value);
        Assert.Equal("CA123", ext.Element(Ext + "callSid")!.Value);
        Assert.Equal("AC456", ext.Element(Ext + "accountSid")!.Value);
        Assert.Equal("AP789", ext.Element(Ext + "applicationSid")!.Value);
        var parameter = ext.Elements(Ext + "parameter").Single();
        Assert.Equal("X-Customer", parameter.Attribute("name")!.Value);
        Assert.Equal("a&b<c>", parameter.Value);

        await srs.WaitForAckAsync();
        Assert.Equal(RecordingState.Recording, src.Session.State);
    }

    [Fact]
    public async Task Start_InParallel_ReturnsStartedOnTheFirstAccept_WithEachSrsOutcome()
    {
        await using var accepting = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var busy = FakeSrs.Start(FakeSrsBehavior.Reject486);
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(10));

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(accepting.Uri, busy.Uri, silent.Uri), CancellationToken.None);

        Assert.True(result.Started);
        Assert.False(result.TimedOut);
        Assert.Equal([accepting.Uri, busy.Uri, silent.Uri], result.Outcomes.Select(o => o.SrsUri));
        Assert.Equal(SrsOutcomeKind.Accepted, result.Outcomes[0].Kind);
        Assert.Equal(200, result.Outcomes[0].StatusCode);
        Assert.Contains(result.Outcomes[1].Kind, new[] { SrsOutcomeKind.Rejected, SrsOutcomeKind.Pending });
        Assert.Equal(SrsOutcomeKind.Pending, result.Outcomes[2].Kind);
        Assert.Equal(RecordingState.Recording, src.Session.State);

        var busyFailed = await src.WaitForEventAsync(e => e.Kind == RecordingEventKind.Failed && e.SrsUri == busy.Uri);
        Assert.Contains("486", busyFailed.Reason);
        Assert.Equal(486, src.Session.Outcomes[1].StatusCode);
        Assert.Equal(SrsOutcomeKind.Rejected, src.Session.Outcomes[1].Kind);
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Started && e.SrsUri is null);
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Started && e.SrsUri == accepting.Uri);
    }

    [Fact]
    public async Task Start_WhenEverySrsFails_ReturnsNotStarted_WithEachOutcome()
    {
        await using var busy = FakeSrs.Start(FakeSrsBehavior.Reject486);
        var locator = new Mock<ISipServerLocator>();
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "nowhere.invalid"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SipLocationException("no such host"));
        locator.Setup(l => l.ResolveAsync(It.Is<SipUri>(u => u.Host == "127.0.0.1"), It.IsAny<CancellationToken>()))
            .Returns((SipUri u, CancellationToken ct) => new SystemDnsServerLocator().ResolveAsync(u, ct));
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromSeconds(10), locator.Object);

        var result = await src.Session.StartAsync(
            SrcHarness.StartRequest(busy.Uri, "sip:srs@nowhere.invalid", "sip:srs@127.0.0.1:5999;transport=tcp"), CancellationToken.None);

        Assert.False(result.Started);
        Assert.False(result.TimedOut);
        Assert.Equal(SrsOutcomeKind.Rejected, result.Outcomes[0].Kind);
        Assert.Equal(486, result.Outcomes[0].StatusCode);
        Assert.Equal(SrsOutcomeKind.DnsFailure, result.Outcomes[1].Kind);
        Assert.Equal(SrsOutcomeKind.TransportError, result.Outcomes[2].Kind);
        Assert.Equal(RecordingState.Failed, src.Session.State);
        Assert.Contains(src.EventsSnapshot(), e => e.Kind == RecordingEventKind.Failed && e.SrsUri is null);
    }

    [Fact]
    public async Task Start_WithNoAnswerInTime_ReturnsTimedOut_AndALateAcceptorGetsAckThenBye()
    {
        // Its 100 Trying is lost, so the SRC cannot CANCEL (RFC 3261 §9.1) and the late 200 crosses the timeout. The
        // window leaves room for the first INVITE to leave at all (it tries TCP first for its size, RFC 3261 §18.1.1, and
        // a cold test process compiles that path): a start cut short before its INVITE is out rightly sends nothing.
        await using var late = FakeSrs.Start(FakeSrsBehavior.AcceptLate, TimeSpan.FromMilliseconds(2500), loseProvisionals: true);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromMilliseconds(1000));

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(late.Uri), CancellationToken.None);

        Assert.False(result.Started);
        Assert.True(result.TimedOut);
        Assert.Equal(SrsOutcomeKind.Timeout, result.Outcomes.Single().Kind);
        Assert.Equal(RecordingState.Idle, src.Session.State);

        await late.WaitForAckAsync();
        var bye = await late.WaitForAsync(SipMethods.Bye);
        Assert.Equal(late.Dialog!.Id.CallId, bye.CallId);
        Assert.Equal(RecordingState.Idle, src.Session.State);
    }

    [Fact]
    public async Task Start_WithNoAnswerInTime_CancelsThePendingInvite()
    {
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromMilliseconds(1000)); // room for the INVITE to leave (see above)

        var result = await src.Session.StartAsync(SrcHarness.StartRequest(silent.Uri), CancellationToken.None);

        Assert.True(result.TimedOut);
        await silent.WaitForCancelAsync(FakeSrs.DefaultWait);
        Assert.Equal(1, silent.CancelledCount);
        Assert.Equal(SrsOutcomeKind.Timeout, src.Session.Outcomes.Single().Kind);
        Assert.Equal(RecordingState.Idle, src.Session.State);
    }

    [Fact]
    public async Task Start_AfterATimedOutStart_IsAllowed()
    {
        await using var silent = FakeSrs.Start(FakeSrsBehavior.Silent);
        await using var accepting = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync(TimeSpan.FromMilliseconds(1000));

        var first = await src.Session.StartAsync(SrcHarness.StartRequest(silent.Uri), CancellationToken.None);
        var second = await src.Session.StartAsync(SrcHarness.StartRequest(accepting.Uri), CancellationToken.None);

        Assert.True(first.TimedOut);
        Assert.True(second.Started, string.Join("; ", second.Outcomes));
        Assert.Equal(RecordingState.Recording, src.Session.State);
    }

    [Fact]
    public async Task Start_WhileRecording_Throws()
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var src = await SrcHarness.StartAsync();
        await src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => src.Session.StartAsync(SrcHarness.StartRequest(srs.Uri), CancellationToken.None));
    }

    [Fact]
    public async Task Start_WithMoreRecordersThanAllowed_Throws()
    {
        await using var src = await SrcHarness.StartAsync();
        var uris = Enumerable.Range(0, 5).Select(i => $"sip:srs{i}@127.0.0.1:5999").ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => src.Session.StartAsync(SrcHarness.StartRequest(uris), CancellationToken.None));
        Assert.Equal(RecordingState.Idle, src.Session.State);
    }
}
