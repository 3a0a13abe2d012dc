using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.Load;

/// <summary>
/// Reads the SRS's JSON sidecars (DESIGN §4.5) of one step: a session belongs to it when its <c>recordingId</c> starts
/// with the step's prefix, and it is final once it has a <c>stopTime</c>. Per stream the SRS counts the packets it
/// received and those missing from the sequence-number range it saw (received + missing: expected by sequence). That
/// range cannot show packets that never reached the forwarder's output at the start or end, nor a bot that sends fewer
/// than 50 a second, so the session's duration × 50 is kept beside it (expected by time).
/// </summary>
internal static class SidecarReader
{
    // PCMU at 20 ms (RFC 3551 §4.5.14 default ptime), which both legs use.
    private const double PacketsPerSecond = 50;

    /// <summary>The step's final sessions, and the sidecar files (with their WAVs) that belong to it.</summary>
    public static (StepMedia Media, IReadOnlyList<string> Files) Read(string directory, string recordingIdPrefix)
    {
        var media = new StepMedia();
        var files = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            JObject sidecar;
            try
            {
                sidecar = JObject.Parse(File.ReadAllText(path));
            }
            catch (Exception ex) when (ex is IOException or JsonException)
            {
                continue; // Being replaced right now (a temporary file moved over it); read again on the next poll.
            }
            if ((string?)sidecar["recordingId"] is not { } id || !id.StartsWith(recordingIdPrefix, StringComparison.Ordinal)) continue;
            files.Add(path);
            if (sidecar["wavFile"]?.Type == JTokenType.String) files.Add(Path.Combine(directory, (string)sidecar["wavFile"]!));
            // Newtonsoft reads an ISO time as a Date token, so "final" is "stopTime is there and not null".
            if (sidecar["stopTime"] is null or { Type: JTokenType.Null })
            {
                media.Open++;
                continue;
            }
            media.Sessions++;
            media.LatePacketsMerged += (long?)sidecar["latePacketsMerged"] ?? 0;
            media.LatePacketsDropped += (long?)sidecar["latePacketsDropped"] ?? 0;
            if ((bool?)sidecar["complete"] != true) media.Incomplete++;
            var duration = (double?)sidecar["durationSeconds"] ?? 0;
            foreach (var stream in sidecar["streams"] as JArray ?? [])
            {
                var packets = (long?)stream["packets"] ?? 0;
                var lost = (long?)stream["lost"] ?? 0;
                // The SRC names the call's parties in the metadata; the caller is the INVITE's From, "load-caller".
                var leg = ((string?)stream["participantAor"])?.Contains("load-caller", StringComparison.Ordinal) == true ? media.Caller : media.Bot;
                leg.Streams++;
                leg.Received += packets;
                leg.Expected += packets + lost;
                leg.ExpectedByTime += duration * PacketsPerSecond;
            }
        }
        return (media, files);
    }
}
