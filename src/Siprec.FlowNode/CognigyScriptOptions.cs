namespace Siprec.FlowNode;

/// <summary>Sandbox limits for CognigyScript evaluation.</summary>
/// <remarks>Defaults: <see cref="Timeout"/> 50 ms, <see cref="MaxStatements"/> 10 000, <see cref="RecursionLimit"/> 64.
/// They apply per <c>{{ }}</c> segment; a script that hits one stops with an error saying which.</remarks>
public sealed record CognigyScriptOptions
{
    /// <summary>Wall-clock limit per segment (Jint <c>TimeoutInterval</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Statements executed per segment (Jint <c>MaxStatements</c>).</summary>
    public int MaxStatements { get; init; } = 10_000;

    /// <summary>Call depth per segment (Jint <c>LimitRecursion</c>).</summary>
    public int RecursionLimit { get; init; } = 64;
}
