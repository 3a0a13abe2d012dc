namespace Siprec.FlowNode.Scripting;

/// <summary>The text a CognigyScript field evaluated to, with what went wrong on the way.</summary>
/// <param name="Value">The text with every <c>{{ }}</c> replaced; a segment that was undefined, null, invalid or failed contributes an empty string.</param>
/// <param name="Warnings">One line per segment that gave no usable value (undefined, null, an object, a script TypeError), naming the field and expression.</param>
/// <param name="Error">Set when a segment could not run to the end (syntax error, time, statement, recursion or memory limit); names the field, the expression and why.</param>
public sealed record CognigyScriptResult(string Value, IReadOnlyList<string> Warnings, string? Error)
{
    /// <summary>True when no segment failed to run (warnings allowed).</summary>
    public bool Succeeded => Error is null;

    /// <summary>The error, else the warnings joined by <c>"; "</c>, else null: the "why" for an empty result.</summary>
    public string? Problem => Error ?? (Warnings.Count > 0 ? string.Join("; ", Warnings) : null);
}
