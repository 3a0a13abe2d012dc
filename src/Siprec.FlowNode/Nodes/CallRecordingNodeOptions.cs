using Siprec.Control;

namespace Siprec.FlowNode.Nodes;

/// <summary>Settings of the Call Recording node.</summary>
/// <remarks>Defaults: <see cref="MaxRecorders"/> 4 (as the gateway's), default CognigyScript limits.</remarks>
public sealed record CallRecordingNodeOptions
{
    /// <summary>The most SRS URIs the server field may list; checked before sending so the designer sees the error at once.</summary>
    public int MaxRecorders { get; init; } = SrsUriList.DefaultMaxCount;

    /// <summary>Sandbox limits for the node's CognigyScript fields.</summary>
    public CognigyScriptOptions Script { get; init; } = new();
}
