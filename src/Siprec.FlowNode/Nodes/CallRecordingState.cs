using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Nodes;

/// <summary>
/// The node's per-call view of recording, kept in <c>context.callRecording</c>
/// (<c>state</c> off/on/paused, <c>recordingId</c>, <c>lastError</c>); DESIGN §4.2.
/// </summary>
internal static class CallRecordingState
{
    public const string ContextKey = "callRecording";
    public const string Off = "off";
    public const string On = "on";
    public const string Paused = "paused";

    /// <summary>The current state; anything unreadable counts as off, so a designer's typo never blocks a start.</summary>
    public static string Read(JObject context) =>
        context[ContextKey]?["state"] is JValue { Type: JTokenType.String } v && (string?)v is On or Paused ? (string)v! : Off;

    public static JObject Ensure(JObject context)
    {
        if (context[ContextKey] is JObject existing) return existing;
        var created = new JObject { ["state"] = Off, ["recordingId"] = null, ["lastError"] = null };
        context[ContextKey] = created;
        return created;
    }

    public static void WriteSuccess(JObject context, string state, string? recordingId, bool setRecordingId)
    {
        var slot = Ensure(context);
        slot["state"] = state;
        if (setRecordingId) slot["recordingId"] = recordingId;
        slot["lastError"] = null;
    }

    public static void WriteError(JObject context, string error)
    {
        var slot = Ensure(context);
        slot["state"] ??= Read(context);
        slot["lastError"] = error;
    }
}
