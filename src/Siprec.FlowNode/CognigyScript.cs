using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Parser;
using Jint.Runtime;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode;

/// <summary>
/// Evaluates CognigyScript: text with <c>{{ expr }}</c> segments, each run by Jint 2.10.4 (ECMAScript 5.1)
/// with <c>input</c>, <c>context</c>, <c>profile</c> and their aliases <c>ci</c>, <c>cc</c>, <c>cp</c>.
/// The sandbox has no CLR access and the limits of <see cref="CognigyScriptOptions"/>.
/// </summary>
public sealed class CognigyScript
{
    private const string EcmaScript51Hint =
        "CognigyScript runs on Jint 2.10.4, which is ECMAScript 5.1: optional chaining (?.), template literals, arrow functions, let/const, classes and other ES2015+ syntax are not supported";

    // Jint's first run JIT-compiles much of the interpreter; doing that once without limits keeps the 50 ms
    // budget for the script itself, so a cold process does not time out a trivial expression.
    private static readonly Lazy<bool> WarmedUp = new(() =>
    {
        new Engine().Execute("var o = JSON.parse('{\"a\":[\"x\",1]}'); o.a.join(',') + String(o.b) + typeof o.c");
        return true;
    });

    private readonly ILogger _logger;
    private readonly CognigyScriptOptions _options;

    /// <summary>Creates an evaluator that logs warnings and errors to <paramref name="logger"/>.</summary>
    public CognigyScript(ILogger<CognigyScript> logger, CognigyScriptOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _options = options ?? new CognigyScriptOptions();
        _ = WarmedUp.Value;
    }

    /// <summary>
    /// Replaces every <c>{{ expr }}</c> in <paramref name="text"/> by the expression's value as text
    /// (arrays joined like JavaScript's <c>toString</c>). Never throws on the script: problems come back in
    /// the result and are logged. Scripts cannot change <paramref name="inputs"/>.
    /// </summary>
    /// <param name="text">The field's text; null reads as empty.</param>
    /// <param name="inputs">The flow's input, context and profile.</param>
    /// <param name="field">The field name used in warnings and errors (e.g. <c>recordingServer</c>).</param>
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
        Engine? engine = null;
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
            engine ??= CreateEngine(inputs);
            var (value, problem, failed) = Run(engine, expression);
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

    private Engine CreateEngine(FlowInputs inputs)
    {
        var engine = new Engine(o => o
            .TimeoutInterval(_options.Timeout)
            .MaxStatements(_options.MaxStatements)
            .LimitRecursion(_options.RecursionLimit));
        var parser = new JsonParser(engine);
        var input = parser.Parse(inputs.Input.ToString(Formatting.None));
        var context = parser.Parse(inputs.Context.ToString(Formatting.None));
        var profile = parser.Parse(inputs.Profile.ToString(Formatting.None));
        engine.SetValue("input", input).SetValue("ci", input)
              .SetValue("context", context).SetValue("cc", context)
              .SetValue("profile", profile).SetValue("cp", profile);
        return engine;
    }

    private (string Value, string? Problem, bool Failed) Run(Engine engine, string expression)
    {
        try
        {
            engine.Execute(expression);
            return ToText(engine.GetCompletionValue());
        }
        catch (ParserException ex)
        {
            return (string.Empty, $"has a syntax error ({ex.Message}). {EcmaScript51Hint}", true);
        }
        catch (TimeoutException)
        {
            return (string.Empty, $"was stopped after {_options.Timeout.TotalMilliseconds:0} ms (time limit); does it loop forever?", true);
        }
        catch (StatementsCountOverflowException)
        {
            return (string.Empty, $"was stopped after {_options.MaxStatements} statements (statement limit); does it loop forever?", true);
        }
        catch (RecursionDepthOverflowException)
        {
            return (string.Empty, $"was stopped: calls nested deeper than {_options.RecursionLimit} (recursion limit)", true);
        }
        catch (JavaScriptException ex)
        {
            // A script error such as reading a property of undefined is a missing value in Cognigy's terms.
            return (string.Empty, $"threw {ex.Message}; using an empty string", false);
        }
#pragma warning disable CA1031 // the script is untrusted: any engine failure must become a clear error, not a crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (string.Empty, $"could not be evaluated ({ex.GetType().Name}: {ex.Message})", true);
        }
    }

    private static (string Value, string? Problem, bool Failed) ToText(JsValue value)
    {
        if (value.IsUndefined()) return (string.Empty, "evaluated to undefined; using an empty string", false);
        if (value.IsNull()) return (string.Empty, "evaluated to null; using an empty string", false);
        if (value.IsString()) return (value.AsString(), null, false);
        if (value.IsNumber() || value.IsBoolean() || value.IsArray() || value.IsDate() || value.IsRegExp())
        {
            try
            {
                return (TypeConverter.ToString(value), null, false);
            }
#pragma warning disable CA1031 // toString runs script (array elements' own toString); its failure is a clear problem, not a crash
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return (string.Empty, $"could not be converted to text ({ex.Message})", true);
            }
        }
        var kind = value.Is<Jint.Native.Function.FunctionInstance>() ? "a function" : "an object";
        return (string.Empty, $"evaluated to {kind}, which is not text; use a property or JSON.stringify(...). Using an empty string", false);
    }

    // The segment ends at the first "}}" outside string literals and outside braces the expression opened
    // itself, so "{{ while(true){} }}" and "{{ JSON.stringify({a:{b:1}}) }}" are read whole.
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
                case '\'' or '"': quote = c; break;
                case '{': depth++; break;
                case '}' when depth > 0: depth--; break;
                case '}' when i + 1 < text.Length && text[i + 1] == '}': return i;
            }
        }
        return -1;
    }
}
