namespace Siprec.FlowNode.Scripting;

/// <summary>Sandbox limits for CognigyScript evaluation.</summary>
/// <remarks>Defaults: <see cref="Timeout"/> 50 ms, <see cref="MaxStatements"/> 10 000, <see cref="RecursionLimit"/> 64,
/// <see cref="MaxAllocatedBytes"/> 16 MiB. They apply per <c>{{ }}</c> segment; a script that hits one stops with an
/// error saying which. A zero <see cref="Timeout"/>, <see cref="MaxStatements"/> or <see cref="MaxAllocatedBytes"/> (or a
/// negative <see cref="RecursionLimit"/>) switches that limit off, as Jint reads them; for tests, never for a flow.</remarks>
public sealed record CognigyScriptOptions
{
    /// <summary>Wall-clock limit per segment (Jint <c>TimeoutInterval</c>); also bounds each regular expression match.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Statements executed per segment (Jint <c>MaxStatements</c>).</summary>
    public int MaxStatements { get; init; } = 10_000;

    /// <summary>Call depth per segment (Jint <c>LimitRecursion</c>).</summary>
    public int RecursionLimit { get; init; } = 64;

    /// <summary>
    /// Bytes a segment may allocate (Jint <c>LimitMemory</c>, checked between statements), so a string or array that
    /// doubles in a loop stops the script instead of the gateway.
    /// </summary>
    public long MaxAllocatedBytes { get; init; } = 16 * 1024 * 1024;
}
