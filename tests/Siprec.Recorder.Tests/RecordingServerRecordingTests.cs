using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Media.Wav;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>
/// The whole SRS path over real UDP on 127.0.0.1: INVITE with a two-stream SIPREC body, ACK, PCMU RTP,
/// pause re-INVITE, silence, resume re-INVITE, more RTP, BYE; then the WAV and JSON are checked sample for
/// sample. The SRS runs on a manual clock so pause times and WAV positions are exact.
/// </summary>
public sealed class RecordingServerRecordingTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const int PacketSamples = 160;
    private const int PacketsPerPhase = 50;
    private const int SkippedPacketOnStream2 = 20;

    private LoopbackSrs _loop = null!;

    public async Task InitializeAsync() => _loop = await LoopbackSrs.StartAsync();

    public async Task DisposeAsync() => await _loop.DisposeAsync();

    [Fact]
    public async Task WhileRecording_TheSidecarIsRewrittenEveryFiveSeconds_WithTheCountsSoFar()
    {
        // DESIGN §4.5: a crashed SRS must leave counts at most ~5 s old, not the zeros written at the INVITE.
        var srs = _loop.Server.SipEndPoint;
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, _loop.Rtp1.LocalEndPoint.Port, _loop.Rtp2.LocalEndPoint.Port));
        var invite = _loop.Src.CreateInvite(srs, contentType, body);
        var ok = await _loop.Src.SendAsync(invite, srs);
        var answer = SiprecBodies.Answer(ok);
        await _loop.Src.Layer.SendAckAsync(Dialog.CreateAsUac(invite, ok).CreateAck(1), srs);
        var session = _loop.Server.ActiveSessions.Single();
        var destinations = answer.Media.Select(m => new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(m)!.Address), m.Port)).ToArray();

        SendPhase(_loop.Rtp1, destinations[0], stream: 1, firstSequence: 100, firstTimestamp: 0, skip: null);
        SendPhase(_loop.Rtp2, destinations[1], stream: 2, firstSequence: 500, firstTimestamp: 0, skip: null);
        await WaitForPacketsAsync(PacketsPerPhase, PacketsPerPhase);
        Assert.All(Sidecar.Read(session.JsonPath)["streams"]!, s => Assert.Equal(0, (int)s["packets"]!));

        // The flush timer ticks each second of the fake clock; within five of them the sidecar carries the counts.
        await Poll.UntilAsync(() => Sidecar.Read(session.JsonPath)["streams"]!.All(s => (int)s["packets"]! == PacketsPerPhase), Bound,
            "the sidecar to show the packets so far", () => _loop.Clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.False((bool)Sidecar.Read(session.JsonPath)["complete"]!);
    }

    [Fact]
    public async Task SessionWithPauseAndResume_IsWrittenAsTwoChannelWavAndJsonSidecar()
    {
        var srs = _loop.Server.SipEndPoint;
        var completed = _loop.NextCompletedSession();

        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, _loop.Rtp1.LocalEndPoint.Port, _loop.Rtp2.LocalEndPoint.Port));
        var invite = _loop.Src.CreateInvite(srs, contentType, body);
        var ok = await _loop.Src.SendAsync(invite, srs);
        Assert.Equal(200, ok.StatusCode);
        var answer = SiprecBodies.Answer(ok);
        Assert.Equal(["1", "2"], answer.Media.Select(m => m.Label));
        Assert.All(answer.Media, m => Assert.Equal(SdpDirection.RecvOnly, m.Direction));
        var dialog = Dialog.CreateAsUac(invite, ok);
        await _loop.Src.Layer.SendAckAsync(dialog.CreateAck(1), srs);
        await Poll.UntilAsync(() => _loop.Server.ActiveSessions.Single().Timers.IsAcknowledged, Bound, "ACK");
        var destinations = answer.Media.Select(m => new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(m)!.Address), m.Port)).ToArray();

        // Phase 1: one second on each stream, timestamps from 0.
        var sent1 = SendPhase(_loop.Rtp1, destinations[0], stream: 1, firstSequence: 100, firstTimestamp: 0, skip: null);
        var sent2 = SendPhase(_loop.Rtp2, destinations[1], stream: 2, firstSequence: 500, firstTimestamp: 0, skip: null);
        await WaitForPacketsAsync(PacketsPerPhase, PacketsPerPhase);
        _loop.Clock.Advance(TimeSpan.FromSeconds(1));

        var pauseAnswer = await ReinviteAsync(dialog, srs, 2, SdpDirection.Inactive);
        Assert.All(pauseAnswer.Media, m => Assert.Equal(SdpDirection.Inactive, m.Direction));
        Assert.Equal(answer.Media.Select(m => m.Port), pauseAnswer.Media.Select(m => m.Port));
        _loop.Clock.Advance(TimeSpan.FromSeconds(1));

        var resumeAnswer = await ReinviteAsync(dialog, srs, 3, SdpDirection.SendOnly);
        Assert.All(resumeAnswer.Media, m => Assert.Equal(SdpDirection.RecvOnly, m.Direction));
        Assert.Equal(answer.Media.Select(m => m.Port), resumeAnswer.Media.Select(m => m.Port));

        // Phase 2: timestamps continue after the one-second pause; stream 2 loses one packet.
        var gapStart = PacketsPerPhase * PacketSamples;
        var resumeAt = 2 * PacketsPerPhase * PacketSamples;
        var sent3 = SendPhase(_loop.Rtp1, destinations[0], stream: 1, firstSequence: 150, firstTimestamp: (uint)resumeAt, skip: null);
        var sent4 = SendPhase(_loop.Rtp2, destinations[1], stream: 2, firstSequence: 550, firstTimestamp: (uint)resumeAt, skip: SkippedPacketOnStream2);
        await WaitForPacketsAsync(2 * PacketsPerPhase, 2 * PacketsPerPhase - 1);
        _loop.Clock.Advance(TimeSpan.FromSeconds(1));

        var bye = await _loop.Src.SendAsync(dialog.CreateRequest(SipMethods.Bye), srs);
        Assert.Equal(200, bye.StatusCode);
        var summary = await completed.WaitAsync(Bound);

        Assert.True(summary.Complete);
        Assert.Equal("rec-2026-001", summary.RecordingId);
        Assert.Equal(0, _loop.Server.ActiveSessionCount);
        Assert.Equal([("1", 0, 100L, 0L), ("2", 1, 99L, 1L)], summary.Streams.Select(s => (s.Label, s.Channel, s.Packets, s.Lost)));
        var pause = Assert.Single(summary.PausedSpans);
        Assert.Equal(1.0, pause.StartSeconds, 3);
        Assert.Equal(2.0, pause.EndSeconds!.Value, 3);

        var wav = WavFile.Read(summary.WavPath);
        Assert.Equal(8000, wav.SampleRate);
        Assert.Equal(2, wav.Channels);
        Assert.True(wav.Frames >= resumeAt + PacketsPerPhase * PacketSamples, $"{wav.Frames} frames");
        var expected1 = Expected(sent1, sent3, resumeAt, skipped: null);
        var expected2 = Expected(sent2, sent4, resumeAt, skipped: SkippedPacketOnStream2);
        Assert.All(expected1[gapStart..resumeAt], s => Assert.Equal(0, s));
        Assert.DoesNotContain((short)0, expected1[..gapStart]);
        Assert.Equal(expected1, wav.GetChannel(0).Take(expected1.Length));
        Assert.Equal(expected2, wav.GetChannel(1).Take(expected2.Length));
        Assert.All(wav.GetChannel(0).Skip(expected1.Length), s => Assert.Equal(0, s));

        var json = Sidecar.Read(summary.JsonPath);
        Assert.Equal(summary.SessionId, (string?)json["sessionId"]);
        Assert.Equal("rec-2026-001", (string?)json["recordingId"]);
        Assert.Equal("CA0001", (string?)json["callSid"]);
        Assert.Equal("AC0001", (string?)json["accountSid"]);
        Assert.Equal("AP0001", (string?)json["applicationSid"]);
        Assert.Equal(_loop.Src.EndPoint.ToString(), (string?)json["srcAddress"]);
        Assert.Equal("udp", (string?)json["transport"]);
        Assert.Equal(["sip:+15550001@example.com", "sip:bot@flow.example.com"], json["participants"]!.Select(p => (string?)p["aor"]));
        Assert.Equal(["Caller", "Bot"], json["participants"]!.Select(p => (string?)p["name"]));
        Assert.Equal(["1", "2"], json["streams"]!.Select(s => (string?)s["label"]));
        Assert.Equal([100L, 99L], json["streams"]!.Select(s => (long)s["packets"]!));
        Assert.Equal([0L, 1L], json["streams"]!.Select(s => (long)s["lost"]!));
        Assert.Equal([0L, 0L], json["streams"]!.Select(s => (long)s["srtpRejected"]!));
        Assert.Equal(0L, (long)json["latePacketsDropped"]!);
        Assert.Equal(Newtonsoft.Json.Linq.JTokenType.Integer, json["latePacketsMerged"]?.Type);
        Assert.Equal(["sip:+15550001@example.com", "sip:bot@flow.example.com"], json["streams"]!.Select(s => (string?)s["participantAor"]));
        Assert.Equal(0x1111u, (uint)json["streams"]![0]!["ssrc"]!);
        var pauses = (JArray)json["pauses"]!;
        Assert.Equal(1.0, (double)Assert.Single(pauses)["startSeconds"]!, 3);
        Assert.Equal(2.0, (double)pauses[0]["endSeconds"]!, 3);
        Assert.Equal("2026-01-01T00:00:01.000Z", (string?)pauses[0]["start"]);
        Assert.Equal("2026-01-01T00:00:00.000Z", (string?)json["startTime"]);
        Assert.Equal("2026-01-01T00:00:03.000Z", (string?)json["stopTime"]);
        Assert.True((bool)json["complete"]!);
        Assert.Equal(JTokenType.Null, json["metadataError"]!.Type);
    }

    private async Task<SdpSession> ReinviteAsync(Dialog dialog, IPEndPoint srs, ulong version, SdpDirection direction)
    {
        var offer = SiprecBodies.Offer(version, direction, _loop.Rtp1.LocalEndPoint.Port, _loop.Rtp2.LocalEndPoint.Port);
        var reinvite = dialog.CreateRequest(SipMethods.Invite).WithBody("application/sdp", offer.ToBytes());
        var response = await _loop.Src.SendAsync(reinvite, srs);
        Assert.Equal(200, response.StatusCode);
        await _loop.Src.Layer.SendAckAsync(dialog.CreateAck(reinvite.CSeq!.Value.Sequence), srs);
        return SiprecBodies.Answer(response);
    }

    /// <summary>Sends one second of PCMU whose bytes never decode to 0, so silence in the WAV can only come from gaps.</summary>
    private static byte[][] SendPhase(RtpSocket socket, IPEndPoint destination, int stream, ushort firstSequence, uint firstTimestamp, int? skip)
    {
        var payloads = new byte[PacketsPerPhase][];
        var packet = new byte[RtpHeader.Size + PacketSamples];
        for (var i = 0; i < PacketsPerPhase; i++)
        {
            var payload = new byte[PacketSamples];
            for (var k = 0; k < payload.Length; k++) payload[k] = (byte)(1 + (i * 31 + k * 7 + stream * 13) % 0x7E);
            payloads[i] = payload;
            if (i == skip) continue;
            new RtpHeader(G711.PcmuPayloadType, i == 0, (ushort)(firstSequence + i), firstTimestamp + (uint)(i * PacketSamples), stream == 1 ? 0x1111u : 0x2222u).Write(packet);
            payload.CopyTo(packet.AsSpan(RtpHeader.Size));
            socket.Send(packet, destination);
        }
        return payloads;
    }

    /// <summary>What the WAV channel must hold: phase 1, silence until <paramref name="resumeAt"/>, phase 2 with the skipped packet silent.</summary>
    private static short[] Expected(byte[][] phase1, byte[][] phase2, int resumeAt, int? skipped)
    {
        var samples = new short[resumeAt + phase2.Length * PacketSamples];
        for (var i = 0; i < phase1.Length; i++) G711.DecodeMuLaw(phase1[i], samples.AsSpan(i * PacketSamples, PacketSamples));
        for (var i = 0; i < phase2.Length; i++)
            if (i != skipped) G711.DecodeMuLaw(phase2[i], samples.AsSpan(resumeAt + i * PacketSamples, PacketSamples));
        return samples;
    }

    private async Task WaitForPacketsAsync(long stream1, long stream2)
    {
        var session = Assert.Single(_loop.Server.ActiveSessions);
        using var limit = new CancellationTokenSource(Bound);
        while (session.Streams[0].Packets < stream1 || session.Streams[1].Packets < stream2)
        {
            Assert.False(limit.IsCancellationRequested, $"SRS received {session.Streams[0].Packets}/{stream1} and {session.Streams[1].Packets}/{stream2} packets");
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
