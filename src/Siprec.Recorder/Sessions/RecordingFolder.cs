using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Media.Wav;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// The SRS's output folder at start-up (DESIGN §4.5): it must be writable, and the recordings a killed SRS left open are
/// finalized before new ones start, so every sidecar in it is final or being written by this process.
/// </summary>
internal static class RecordingFolder
{
    /// <summary>The sidecar <c>reason</c> of a session finalized at start-up.</summary>
    public const string RestartedReason = "recorder restarted";

    /// <summary>Creates the folder when missing and proves it writable by creating, writing and deleting a file in it.</summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message names it and the system's reason.</exception>
    public static void EnsureWritable(string directory)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".siprec-write-check-{Guid.NewGuid():N}");
            using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            file.WriteByte(0);
            file.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new IOException($"the recording folder {full} is not writable: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Finalizes every sidecar a crash left open (<c>complete: false</c> and no <c>stopTime</c>): its WAV header is made to
    /// match the frames on disk (<see cref="WavWriter.RepairHeader"/>), and the sidecar gets the WAV's duration, a stop time
    /// (the WAV's last write), closed pauses and <c>reason: "recorder restarted"</c>. Leftover temporary sidecars are removed.
    /// One that cannot be finalized is logged and left as it is.
    /// </summary>
    /// <returns>How many sessions were finalized.</returns>
    public static int FinalizeOrphans(string directory, ILogger logger)
    {
        foreach (var temporary in Directory.EnumerateFiles(directory, "*.json" + SessionSidecar.TemporarySuffix))
            TryDelete(temporary);
        var finalized = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*.json"))
        {
            try
            {
                if (TryFinalize(directory, path, logger)) finalized++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or FormatException)
            {
                Log.OrphanNotFinalized(logger, path, ex.Message);
            }
        }
        return finalized;
    }

    private static bool TryFinalize(string directory, string path, ILogger logger)
    {
        JObject sidecar;
        try
        {
            sidecar = JObject.Parse(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return false; // not one of ours
        }
        if (sidecar["sessionId"] is not { Type: JTokenType.String } || sidecar["complete"]?.Type != JTokenType.Boolean
            || (bool)sidecar["complete"]! || sidecar["stopTime"] is { Type: not JTokenType.Null })
        {
            return false;
        }

        var sessionId = (string)sidecar["sessionId"]!;
        var wav = Path.Combine(directory, Path.GetFileName((string?)sidecar["wavFile"] ?? sessionId + ".wav"));
        var stoppedAt = File.GetLastWriteTimeUtc(path);
        var duration = 0.0;
        if (File.Exists(wav))
        {
            stoppedAt = File.GetLastWriteTimeUtc(wav);
            var (frames, sampleRate) = WavWriter.RepairHeader(wav);
            duration = sampleRate > 0 ? (double)frames / sampleRate : 0;
            sidecar["durationSeconds"] = Math.Round(duration, 3);
        }
        var stop = SessionSidecar.FormatTime(new DateTimeOffset(stoppedAt, TimeSpan.Zero));
        foreach (var pause in sidecar["pauses"] as JArray ?? [])
            if (pause["end"] is null or { Type: JTokenType.Null }) pause["end"] = stop;
        sidecar["stopTime"] = stop;
        sidecar["reason"] = RestartedReason;
        SessionSidecar.Write(path, sidecar);
        Log.OrphanFinalized(logger, sessionId, duration, wav);
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
