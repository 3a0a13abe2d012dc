using System.Xml.Linq;
using Siprec.Recording;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>
/// Requests inside an established recording dialog (samples/sipp/srs-refresh-reinvite, -snapshot-request,
/// -glare-491), each against the gateway: the SRC answers the SRS's own requests as RFC 7866 and RFC 4028 ask
/// and survives 491 glare on its pause, and the recording carries on.
/// </summary>
[Collection(SrsScenarioCollection.Name)]
public sealed class SrsInDialogRequestTests
{
    [SkippableFact]
    public async Task RefreshReinviteWithoutSdp_IsAnswered200WithTheCurrentSdp_SameMLinesAndLabels()
    {
        await using var harness = new GatewayHarness("srs-refresh-reinvite.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 3));

        var offered = InitialStreams(run);
        var answers = run.Srs.Responses("INVITE").Where(m => !m.StartsWith("SIP/2.0 1", StringComparison.Ordinal)).ToList();
        Assert.True(answers.Count > 0, $"the SRC sent no final answer to the SRS's refresh re-INVITE\n{run.Srs.Diagnostics}");
        var answer = SipTrace.Parse(answers[0]);
        var response = Assert.IsType<SipResponse>(answer);
        Assert.Equal(200, response.StatusCode);
        var sdp = SipTrace.Sdp(answer) ?? throw new Xunit.Sdk.XunitException($"the 200 to an offerless re-INVITE must carry the SRC's SDP (RFC 3261 §14.2):\n{answers[0]}");
        var current = SipTrace.Streams(sdp);
        Assert.Equal(offered.Select(s => (s.Port, s.Label)), current.Select(s => (s.Port, s.Label)));
        Assert.All(current, s => Assert.Equal(SdpDirection.SendOnly, s.Direction));

        run.AssertPeersSucceeded();
        Assert.Equal(200, run.Info("stopCallRecording").StatusCode);
        Assert.DoesNotContain(run.Summary.RecordingEvents, e => e.Kind == RecordingEventKind.Failed);
    }

    [SkippableFact]
    public async Task SnapshotRequestInUpdate_IsAnswered200_ThenANewCompleteSnapshotIsSent()
    {
        await using var harness = new GatewayHarness("srs-snapshot-request.xml");
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 4));

        var initial = SipTrace.Metadata(SipTrace.Parse(run.Srs.Requests("INVITE")[0]))
            ?? throw new Xunit.Sdk.XunitException("the SIPREC INVITE has no rs-metadata+xml part");
        var updateAnswers = run.Srs.Responses("UPDATE").Where(m => !m.StartsWith("SIP/2.0 1", StringComparison.Ordinal)).ToList();
        Assert.True(updateAnswers.Count > 0, $"the SRC did not answer the snapshot request UPDATE\n{run.Srs.Diagnostics}");
        Assert.Equal(200, Assert.IsType<SipResponse>(SipTrace.Parse(updateAnswers[0])).StatusCode);

        // RFC 7866 §9.2: on a snapshot request the SRC sends a complete snapshot, here in a re-INVITE or UPDATE.
        var later = run.Srs.Requests("INVITE").Skip(1).Concat(run.Srs.Requests("UPDATE")).ToList();
        var snapshot = later.Select(m => SipTrace.Metadata(SipTrace.Parse(m))).FirstOrDefault(x => x is not null);
        Assert.True(snapshot is not null,
            "after answering the snapshot request the SRC sent no re-INVITE or UPDATE carrying application/rs-metadata+xml " +
            $"(RFC 7866 §9.2); requests the SRS received: [{string.Join(", ", run.Srs.Received.Select(StartLine))}]");
        AssertCompleteSnapshotOfTheSameSession(initial, snapshot!);

        run.AssertPeersSucceeded();
        Assert.Equal(200, run.Info("stopCallRecording").StatusCode);
    }

    [SkippableFact]
    public async Task Glare491OnPause_IsRetriedAfterBackOff_AndThePauseIsAnswered200()
    {
        await using var harness = new GatewayHarness("srs-glare-491.xml");
        var run = await harness.RunAsync(RecordingFlows.StartPauseResumeStop());

        var report = run.Report();
        var pause = run.Info("pauseCallRecording");
        Assert.True(pause is { StatusCode: 200, Warning: null }, $"pause answer {pause}\n{report}");
        var resume = run.Info("resumeCallRecording");
        Assert.True(resume is { StatusCode: 200, Warning: null }, $"resume answer {resume}\n{report}");
        Assert.Equal(200, run.Info("stopCallRecording").StatusCode);

        var uri = harness.Srs.Uri;
        var recorder = run.RecorderEvents(uri);
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Paused, RecordingEventKind.Resumed, RecordingEventKind.Stopped], recorder.Select(e => e.Kind));
        Assert.Equal("200 OK", recorder[1].Reason);
        Assert.Equal([RecordingEventKind.Started, RecordingEventKind.Paused, RecordingEventKind.Resumed, RecordingEventKind.Stopped], run.RecordingEvents().Select(e => e.Kind));

        // On the wire: the pause re-INVITE, the same offer again after the 491 with a new CSeq, then the resume.
        var invites = run.Srs.Requests("INVITE").Select(SipTrace.Parse).ToList();
        Assert.Equal(4, invites.Count);
        var offered = InitialStreams(run);
        var expectedDirections = new[] { SdpDirection.Inactive, SdpDirection.Inactive, SdpDirection.SendOnly };
        for (var i = 1; i < 4; i++)
        {
            var streams = SipTrace.Streams(SipTrace.Sdp(invites[i]) ?? throw new Xunit.Sdk.XunitException($"re-INVITE {i} has no SDP"));
            Assert.Equal(offered.Select(s => (s.Port, s.Label)), streams.Select(s => (s.Port, s.Label)));
            Assert.All(streams, s => Assert.Equal(expectedDirections[i - 1], s.Direction));
        }
        Assert.True(invites[2].CSeq!.Value.Sequence > invites[1].CSeq!.Value.Sequence, "the retry after 491 must use a new CSeq");
        Assert.Equal(4, run.Srs.Requests("ACK").Count);
        run.AssertPeersSucceeded();
    }

    private static IReadOnlyList<(int Port, string? Label, SdpDirection Direction)> InitialStreams(ScenarioRun run)
    {
        var invites = run.Srs.Requests("INVITE");
        Assert.True(invites.Count > 0, $"the SRS received no INVITE\n{run.Srs.Diagnostics}\n{run.Report()}");
        var sdp = SipTrace.Sdp(SipTrace.Parse(invites[0])) ?? throw new Xunit.Sdk.XunitException("the SIPREC INVITE has no SDP");
        var streams = SipTrace.Streams(sdp);
        Assert.Equal(["1", "2"], streams.Select(s => s.Label));
        return streams;
    }

    private static void AssertCompleteSnapshotOfTheSameSession(XDocument initial, XDocument snapshot)
    {
        var ns = SipTrace.Recording;
        var root = snapshot.Root!;
        Assert.Equal(ns + "recording", root.Name);
        Assert.Equal("complete", (string?)root.Element(ns + "datamode"));
        Assert.Equal(
            initial.Root!.Elements(ns + "session").Select(s => (string?)s.Attribute("session_id")),
            root.Elements(ns + "session").Select(s => (string?)s.Attribute("session_id")));
        // RFC 7865 §6: the IDs identify the same objects for the life of the recording session.
        Assert.Equal(Ids(initial.Root!, ns + "participant", "participant_id"), Ids(root, ns + "participant", "participant_id"));
        Assert.Equal(Ids(initial.Root!, ns + "stream", "stream_id"), Ids(root, ns + "stream", "stream_id"));
        Assert.Equal(2, root.Elements(ns + "participant").Count());
        Assert.Equal(["1", "2"], root.Elements(ns + "stream").Select(s => (string?)s.Element(ns + "label")));
        Assert.Single(root.Elements(ns + "sessionrecordingassoc"));
        Assert.Equal(2, root.Elements(ns + "participantstreamassoc").Count());
    }

    private static string?[] Ids(XElement root, XName element, string attribute) =>
        root.Elements(element).Select(e => (string?)e.Attribute(attribute)).Order(StringComparer.Ordinal).ToArray();

    private static string StartLine(string raw) => raw.Split('\n')[0].Trim();
}
