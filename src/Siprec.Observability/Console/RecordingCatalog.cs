using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.Observability.Console;

/// <summary>
/// The recordings in an SRS output folder, read from their JSON sidecars (the WAV is named in each). A sidecar that
/// cannot be read (being replaced, not JSON) is skipped, never fatal: the console shows what it can.
/// </summary>
internal sealed class RecordingCatalog(string folder)
{
    /// <summary>The folder read, absolute.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>
    /// Recordings newest first, filtered: <paramref name="query"/> matches a substring of the recording ID, CallSid or session
    /// name (case-insensitive); <paramref name="date"/> the UTC start date. At most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<RecordingEntry> Search(string? query, DateOnly? date, int limit)
    {
        if (!Directory.Exists(Folder)) return [];
        var found = new List<RecordingEntry>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.json"))
        {
            if (TryRead(path) is not { } entry) continue;
            if (date is { } day && DateOnly.FromDateTime(entry.StartTime.UtcDateTime) != day) continue;
            if (!string.IsNullOrWhiteSpace(query) && !Matches(entry, query.Trim())) continue;
            found.Add(entry);
        }
        return found.OrderByDescending(e => e.StartTime).ThenByDescending(e => e.SessionId, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>The recording named <paramref name="sessionId"/>; null when there is none or the name is not a plain file name.</summary>
    public RecordingEntry? Find(string sessionId)
    {
        if (!IsPlainName(sessionId)) return null;
        var path = Path.Combine(Folder, sessionId + ".json");
        return File.Exists(path) ? TryRead(path) : null;
    }

    /// <summary>True for names made only of letters, digits, '-', '_' and '.', not starting with '.': no path can be smuggled in.</summary>
    public static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 200 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static bool Matches(RecordingEntry entry, string query) =>
        new[] { entry.RecordingId, entry.CallSid, entry.SessionId }.Any(v => v?.Contains(query, StringComparison.OrdinalIgnoreCase) == true);

    private RecordingEntry? TryRead(string path)
    {
        JObject sidecar;
        try
        {
            sidecar = JObject.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
        var sessionId = (string?)sidecar["sessionId"];
        var wav = (string?)sidecar["wavFile"];
        if (sessionId is null || wav is null || !IsPlainName(wav) ||
            !DateTimeOffset.TryParse((string?)sidecar["startTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            return null;
        }
        var channels = (sidecar["streams"] as JArray ?? []).OfType<JObject>().Select(s => new RecordingChannel(
            (int?)s["channel"] ?? 0, (string?)s["label"] ?? "", (string?)s["participantAor"], (long?)s["packets"] ?? 0, (long?)s["lost"] ?? 0,
            (s["lossMarks"] as JArray ?? []).OfType<JObject>().Select(m => ((double?)m["seconds"] ?? 0, (long?)m["packets"] ?? 0)).ToList(),
            (s["lateMergedSeconds"] as JArray ?? []).Select(t => (double)t).ToList())).OrderBy(c => c.Channel).ToList();
        var pauses = (sidecar["pauses"] as JArray ?? []).OfType<JObject>()
            .Select(p => ((double?)p["startSeconds"] ?? 0, (double?)p["endSeconds"])).ToList();
        return new RecordingEntry(sessionId, sidecar, Path.Combine(Folder, wav), path, start, (double?)sidecar["durationSeconds"] ?? 0, channels, pauses);
    }
}
