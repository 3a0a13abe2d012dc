namespace Siprec.FlowNode.Flows;

/// <summary>The names of <see cref="FlowRuntime"/> in flow JSON (<c>"runtime"</c>) and on the command line.</summary>
public static class FlowRuntimeNames
{
    /// <summary>Name of <see cref="FlowRuntime.Gateway"/> (the default).</summary>
    public const string Gateway = "gateway";

    /// <summary>Name of <see cref="FlowRuntime.VoiceGateway2"/>; <c>vg2</c> is accepted as a short form.</summary>
    public const string VoiceGateway2 = "voiceGateway2";

    /// <summary>The accepted names, for error texts.</summary>
    public static IReadOnlyList<string> All { get; } = [Gateway, VoiceGateway2];

    /// <summary>The JSON name of a runtime.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="FlowRuntime"/> (a programming error).</exception>
    public static string ToName(FlowRuntime runtime) => runtime switch
    {
        FlowRuntime.Gateway => Gateway,
        FlowRuntime.VoiceGateway2 => VoiceGateway2,
        _ => throw new ArgumentOutOfRangeException(nameof(runtime), runtime, "not a flow runtime"),
    };

    /// <summary>Reads a name: <c>gateway</c>, <c>voiceGateway2</c> or <c>vg2</c>, case-insensitive, trimmed; never throws.</summary>
    public static bool TryParse(string? name, out FlowRuntime runtime)
    {
        var text = name?.Trim();
        if (string.Equals(text, Gateway, StringComparison.OrdinalIgnoreCase))
        {
            runtime = FlowRuntime.Gateway;
            return true;
        }
        if (string.Equals(text, VoiceGateway2, StringComparison.OrdinalIgnoreCase) || string.Equals(text, "vg2", StringComparison.OrdinalIgnoreCase))
        {
            runtime = FlowRuntime.VoiceGateway2;
            return true;
        }
        runtime = default;
        return false;
    }
}
