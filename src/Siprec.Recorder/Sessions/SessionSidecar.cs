using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Sip.Transport;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// The JSON sidecar of a recording (DESIGN §4.5). Written whole to a temporary file and moved over the old
/// one, so a reader never sees half a document.
/// </summary>
internal static class SessionSidecar
{
    /// <summary>ISO 8601 UTC with milliseconds and 'Z'.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JObject Build(RecorderSession session, DateTimeOffset? stoppedAt, bool complete)
    {
        var metadata = session.Metadata;
        var participants = new JArray();
        foreach (var participant in metadata?.Participants ?? [])
            participants.Add(new JObject { ["id"] = participant.Id, ["aor"] = participant.Aor, ["name"] = participant.Name });

        var streams = new JArray();
        foreach (var stream in session.Streams.OrderBy(s => s.Channel))
        {
            var sender = metadata?.SenderOf(stream.Label);
            streams.Add(new JObject
            {
                ["label"] = stream.Label,
                ["channel"] = stream.Channel,
                ["mediaIndex"] = stream.Plan.MediaIndex,
                ["port"] = stream.Socket.LocalEndPoint.Port,
                ["payloadTypes"] = new JArray(stream.Plan.PayloadTypes),
                ["ssrc"] = stream.Ssrcs.Count > 0 ? stream.Ssrcs[0] : null,
                ["ssrcs"] = new JArray(stream.Ssrcs),
                ["packets"] = stream.Packets,
                ["lost"] = stream.Lost,
                ["packetsWhilePaused"] = stream.PacketsWhilePaused,
                ["skippedWhilePaused"] = stream.SkippedWhilePaused,
                ["srtpRejected"] = stream.RejectedSrtpPackets,
                ["participantAor"] = sender?.Aor,
                ["rtcp"] = Rtcp(stream.Rtcp?.Summary()),
                ["lossMarks"] = new JArray(stream.LossMarks.Select(m => new JObject
                {
                    ["seconds"] = Math.Round((double)m.Frame / RecorderSession.SampleRate, 3),
                    ["packets"] = m.Packets,
                })),
                ["lateMergedSeconds"] = new JArray(stream.LateMerges.Select(f => Math.Round((double)f / RecorderSession.SampleRate, 3))),
                ["marksTruncated"] = stream.MarksTruncated,
            });
        }

        var declined = new JArray();
        foreach (var plan in session.DeclinedStreams)
            declined.Add(new JObject { ["label"] = plan.Label, ["mediaIndex"] = plan.MediaIndex, ["reason"] = plan.DeclineReason });

        var pauses = new JArray();
        foreach (var span in session.PausedSpans)
        {
            pauses.Add(new JObject
            {
                ["start"] = FormatTime(span.Start),
                ["end"] = span.End is { } end ? FormatTime(end) : null,
                ["startSeconds"] = Math.Round(span.StartSeconds, 3),
                ["endSeconds"] = span.EndSeconds is { } endSeconds ? Math.Round(endSeconds, 3) : null,
                ["durationSeconds"] = span.EndSeconds is { } e ? Math.Round(e - span.StartSeconds, 3) : null,
            });
        }

        var extensions = new JObject();
        foreach (var (name, value) in metadata?.Extensions ?? new Dictionary<string, string>())
            extensions[name] = value;

        return new JObject
        {
            ["sessionId"] = session.Id,
            ["sipCallId"] = session.SipCallId,
            ["srcAddress"] = session.SourceAddress.ToString(),
            ["transport"] = SipTarget.ProtocolName(session.Transport).ToLowerInvariant(),
            ["recordingId"] = metadata?.RecordingId,
            ["callSid"] = metadata?.CallSid,
            ["accountSid"] = metadata?.AccountSid,
            ["applicationSid"] = metadata?.ApplicationSid,
            ["metadataSessionId"] = metadata?.SessionId,
            ["sipSessionId"] = metadata?.SipSessionId,
            ["metadataNamespace"] = metadata?.Namespace,
            ["metadataError"] = session.MetadataError,
            ["startTime"] = FormatTime(session.StartedAt),
            ["stopTime"] = stoppedAt is { } stop ? FormatTime(stop) : null,
            ["durationSeconds"] = Math.Round(session.DurationSeconds, 3),
            ["latePacketsMerged"] = session.LatePacketsMerged,
            ["latePacketsDropped"] = session.LatePacketsDropped,
            ["complete"] = complete,
            ["reason"] = session.EndReason,
            ["wavFile"] = Path.GetFileName(session.WavPath),
            ["sampleRate"] = RecorderSession.SampleRate,
            ["participants"] = participants,
            ["streams"] = streams,
            ["declinedStreams"] = declined,
            ["pauses"] = pauses,
            ["extensions"] = extensions,
        };
    }

    /// <summary>The stream's RTCP (RFC 3550 §6.4): SRs received, RRs sent, and the loss and jitter the SRS measured.</summary>
    private static JObject Rtcp(RtcpSummary? summary) => new()
    {
        ["senderReports"] = summary?.SenderReports ?? 0,
        ["receiverReportsSent"] = summary?.ReceiverReportsSent ?? 0,
        ["fractionLost"] = summary?.FractionLost is { } fraction ? Math.Round(fraction, 4) : null,
        ["cumulativeLost"] = summary?.CumulativeLost ?? 0,
        ["jitterMs"] = Math.Round(summary?.JitterMs ?? 0, 3),
        ["srtcpRejected"] = summary?.Rejected ?? 0,
    };

    /// <summary>
    /// Replaces the sidecar at <paramref name="path"/> with <paramref name="document"/> through a temporary file. When that
    /// fails (a full disk has no room for a second copy), the temporary file is removed and the sidecar is rewritten in
    /// place, which reuses its own blocks, so a final sidecar can still be written on a full disk.
    /// </summary>
    /// <exception cref="IOException">Neither way worked; no temporary file is left.</exception>
    public static void Write(string path, JObject document)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(document.ToString(Formatting.Indented));
        var temporary = path + TemporarySuffix;
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException)
        {
            File.Delete(temporary);
            if (!File.Exists(path)) throw;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
            stream.Write(bytes);
            stream.SetLength(bytes.Length);
        }
    }

    /// <summary>The suffix of the temporary file a sidecar is written to before it replaces the old one.</summary>
    public const string TemporarySuffix = ".tmp";
}
