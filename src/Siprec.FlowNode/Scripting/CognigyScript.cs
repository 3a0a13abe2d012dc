using Microsoft.Extensions.Logging;

namespace Siprec.FlowNode.Scripting;

/// <summary>
/// Evaluates CognigyScript: text with <c>{{ expr }}</c> segments, each run as modern JavaScript (Jint 4, strict mode)
/// with <c>input</c>, <c>context</c>, <c>profile</c> and their aliases <c>ci</c>, <c>cc</c>, <c>cp</c>.
/// The sandbox has no CLR access and the limits of <see cref="CognigyScriptOptions"/>.
/// </summary>
public sealed class CognigyScript
{
    private readonly ILogger _logger;
    private readonly CognigyScriptOptions _options;

    /// <summary>Creates an evaluator that logs warnings and errors to <paramref name="logger"/>.</summary>
    public CognigyScript(ILogger<CognigyScript> logger, CognigyScriptOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _options = options ?? new CognigyScriptOptions();
        // At construction (host start-up), not in a call's first evaluation.
        CognigyScriptSandbox.WarmUp();
    }

    /// <summary>
    /// Replaces every <c>{{ expr }}</c> in <paramref name="text"/> by the expression's value as text
    /// (arrays joined like JavaScript's <c>toString</c>). Never throws on the script: problems come back in
    /// the result and are logged. Scripts cannot change <paramref name="inputs"/>.
    /// </summary>
    /// <param name="text">The field's text; null reads as empty.</param>
    /// <param name="inputs">The flow's input, context and profile.</param>
    /// <param name="field">The field as warnings and errors name it (the node passes <c>Call Recording Server (recordingServer)</c>).</param>
    public CognigyScriptResult Evaluate(string? text, FlowInputs inputs, string field)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (string.IsNullOrEmpty(text) || !text.Contains("{{", StringComparison.Ordinal))
        {
            return new CognigyScriptResult(text ?? string.Empty, [], null);
        }

        var warnings = new List<string>();
        string? error = null;
        var output = new System.Text.StringBuilder(text.Length);
        CognigyScriptSandbox? sandbox = null;
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0) break;
            var close = FindClose(text, open + 2);
            if (close < 0)
            {
                var warning = $"{field}: '{{{{' at offset {open} has no closing '}}}}'; kept as text";
                warnings.Add(warning);
                Log.ScriptWarning(_logger, field, text[open..], warning);
                break;
            }
            output.Append(text, position, open - position);
            var segment = text[open..(close + 2)];
            var expression = text[(open + 2)..close];
            sandbox ??= new CognigyScriptSandbox(_options, inputs);
            var (value, problem, failed) = sandbox.Run(expression);
            if (problem is not null)
            {
                var message = $"{field}: CognigyScript '{segment}' {problem}";
                if (failed)
                {
                    error ??= message;
                    Log.ScriptFailed(_logger, field, segment, problem);
                }
                else
                {
                    warnings.Add(message);
                    Log.ScriptWarning(_logger, field, segment, problem);
                }
            }
            output.Append(value);
            position = close + 2;
        }
        output.Append(text, position, text.Length - position);
        return new CognigyScriptResult(output.ToString(), warnings, error);
    }

    // The segment ends at the first "}}" outside string and template literals and outside braces the expression opened
    // itself, so "{{ while(true){} }}", "{{ JSON.stringify({a:{b:1}}) }}" and "{{ `it's ${cc.n}` }}" are read whole.
    // A template's ${ } braces balance, so reading the template as one quoted run is enough to find the end.
    private static int FindClose(string text, int start)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            switch (c)
            {
                case '\'' or '"' or '`': quote = c; break;
                case '{': depth++; break;
                case '}' when depth > 0: depth--; break;
                case '}' when i + 1 < text.Length && text[i + 1] == '}': return i;
            }
        }
        return -1;
    }
}
