using Newtonsoft.Json.Linq;

namespace Siprec.Observability.Console;

/// <summary>A finished (or still growing) recording found in the SRS's folder: its sidecar, read (DESIGN §4.5).</summary>
/// <param name="SessionId">The SRS's session name; the WAV and sidecar are named after it.</param>
/// <param name="Sidecar">The sidecar document as read.</param>
/// <param name="WavPath">Full path of the WAV.</param>
/// <param name="JsonPath">Full path of the sidecar.</param>
/// <param name="StartTime">When the session started (UTC).</param>
/// <param name="DurationSeconds">WAV length the sidecar states.</param>
/// <param name="Channels">Channels in WAV order.</param>
/// <param name="Pauses">Paused spans as seconds from the WAV start (end null while open).</param>
internal sealed record RecordingEntry(string SessionId, JObject Sidecar, string WavPath, string JsonPath, DateTimeOffset StartTime,
    double DurationSeconds, IReadOnlyList<RecordingChannel> Channels, IReadOnlyList<(double Start, double? End)> Pauses)
{
    /// <summary>Recording ID from the SRC's metadata; null when none.</summary>
    public string? RecordingId => (string?)Sidecar["recordingId"];

    /// <summary>CallSid from the SRC's metadata; null when none.</summary>
    public string? CallSid => (string?)Sidecar["callSid"];

    /// <summary>True when the SRC ended the session with BYE.</summary>
    public bool Complete => (bool?)Sidecar["complete"] ?? false;

    /// <summary>Whether the session is still open (no stop time yet).</summary>
    public bool Open => Sidecar["stopTime"] is null or { Type: JTokenType.Null };
}
