using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Flows;

/// <summary>One node of a flow: its type and its configuration object as written in the flow JSON.</summary>
/// <param name="Type">One of <see cref="CallRecording"/>, <see cref="Play"/>, <see cref="Wait"/>, <see cref="HangUp"/>.</param>
/// <param name="Config">The node's <c>config</c> object (empty when the JSON had none).</param>
public sealed record FlowNodeDefinition(string Type, JObject Config)
{
    /// <summary>The Call Recording node (<see cref="CallRecordingNode"/>).</summary>
    public const string CallRecording = CallRecordingNode.NodeType;

    /// <summary>Plays <c>config.prompt</c> through <see cref="ICallControl.PlayAsync"/>.</summary>
    public const string Play = "play";

    /// <summary>Waits <c>config.seconds</c> seconds on the runner's clock.</summary>
    public const string Wait = "wait";

    /// <summary>Ends the call; the flow stops after it.</summary>
    public const string HangUp = "hangUp";

    /// <summary>The longest wait a flow may configure, in seconds (one hour).</summary>
    public const double MaxWaitSeconds = 3600;

    /// <summary>Every known node type.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = [CallRecording, Play, Wait, HangUp];
}
