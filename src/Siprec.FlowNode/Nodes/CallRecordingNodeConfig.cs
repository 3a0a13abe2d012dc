using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Nodes;

/// <summary>The Call Recording node's fields as a designer sets them (DESIGN §1).</summary>
public sealed record CallRecordingNodeConfig
{
    /// <summary><c>startCallRecording</c> | <c>stopCallRecording</c> | <c>pauseCallRecording</c> | <c>resumeCallRecording</c>.</summary>
    public required string Activity { get; init; }

    /// <summary>CognigyScript text giving one SIP URI or a comma-separated list; required for start only.</summary>
    public string? RecordingServer { get; init; }

    /// <summary>CognigyScript text giving the correlation ID; optional, omitted from the INFO when empty.</summary>
    public string? RecordingId { get; init; }

    /// <summary>
    /// Reads <c>{"activity":…,"recordingServer":…,"recordingId":…}</c>. Missing or non-string fields read as
    /// empty; the node reports what is wrong when it runs.
    /// </summary>
    public static CallRecordingNodeConfig FromJson(JObject? config) => new()
    {
        Activity = Text(config, "activity") ?? string.Empty,
        RecordingServer = Text(config, "recordingServer"),
        RecordingId = Text(config, "recordingId"),
    };

    private static string? Text(JObject? config, string name) =>
        config?[name] is JValue { Type: JTokenType.String } value ? (string?)value : null;
}
