using System.Globalization;
using System.Text.RegularExpressions;
using Acornima;
using Jint;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Function;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Newtonsoft.Json;

namespace Siprec.FlowNode.Scripting;

/// <summary>
/// Runs one CognigyScript segment on Jint 4 (modern JavaScript, strict mode) in a fresh engine with no CLR access and
/// the limits of <see cref="CognigyScriptOptions"/>, and turns every outcome into text or a designer-facing problem.
/// </summary>
/// <remarks>
/// One engine per segment: with <c>let</c>/<c>const</c>, two segments declaring the same name in a shared engine would
/// fail with "already declared", and a segment's time and memory budget should not depend on the segments before it.
/// </remarks>
internal sealed class CognigyScriptSandbox
{
    // Jint's first run JIT-compiles much of the interpreter and the parser; doing that once without limits keeps the
    // 50 ms budget for the script itself, so a cold process does not time out a trivial expression.
    private static readonly Lazy<bool> WarmedUp = new(() =>
    {
        var engine = new Engine(o => o.Strict());
        engine.SetValue("cc", new JsonParser(engine).Parse("{\"a\":[\"x\",1]}"));
        engine.Evaluate(Engine.PrepareScript(
            "const { a = [] } = cc; `${a?.map((v, i) => String(v).padStart(i + 1)).join(',')}${cc.b ?? ''}` + typeof cc.c",
            strict: true));
        return true;
    });

    private readonly CognigyScriptOptions _options;
    private readonly string _input;
    private readonly string _context;
    private readonly string _profile;

    /// <summary>Snapshots <paramref name="inputs"/> as JSON, so scripts read them but cannot change them.</summary>
    public CognigyScriptSandbox(CognigyScriptOptions options, FlowInputs inputs)
    {
        _options = options;
        _input = inputs.Input.ToString(Formatting.None);
        _context = inputs.Context.ToString(Formatting.None);
        _profile = inputs.Profile.ToString(Formatting.None);
    }

    /// <summary>Runs the one-time warm-up now (the first call pays it, later calls return at once).</summary>
    public static void WarmUp() => _ = WarmedUp.Value;

    /// <summary>
    /// Evaluates <paramref name="expression"/>. <c>Problem</c> is null for a usable value; <c>Failed</c> says the script
    /// could not run to its end (syntax, a limit, an engine failure) rather than giving no usable value.
    /// </summary>
    public (string Value, string? Problem, bool Failed) Run(string expression)
    {
        Prepared<Acornima.Ast.Script> script;
        try
        {
            script = Engine.PrepareScript(expression, strict: true);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            return (string.Empty, $"has a syntax error ({Describe(parse)})", true);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is InsufficientExecutionStackException)
        {
            return (string.Empty, "is nested too deeply to be read", true);
        }

        try
        {
            var engine = CreateEngine();
            // Converting an array runs its elements' own toString, so it stays inside the limits' catch blocks below.
            return ToText(engine.Evaluate(script));
        }
        catch (RegexMatchTimeoutException)
        {
            return (string.Empty, $"was stopped: a regular expression ran longer than {Milliseconds} ms (time limit)", true);
        }
        catch (TimeoutException)
        {
            return (string.Empty, $"was stopped after {Milliseconds} ms (time limit); does it loop forever?", true);
        }
        catch (StatementsCountOverflowException)
        {
            return (string.Empty, $"was stopped after {_options.MaxStatements} statements (statement limit); does it loop forever?", true);
        }
        catch (RecursionDepthOverflowException)
        {
            return (string.Empty, $"was stopped: calls nested deeper than {_options.RecursionLimit} (recursion limit)", true);
        }
        catch (MemoryLimitExceededException)
        {
            var mebibytes = (_options.MaxAllocatedBytes / (1024.0 * 1024.0)).ToString("0.##", CultureInfo.InvariantCulture);
            return (string.Empty, $"was stopped after allocating more than {mebibytes} MiB (memory limit); does it build an ever-growing string or array?", true);
        }
        catch (JavaScriptException ex)
        {
            // A script error such as reading a property of undefined is a missing value in Cognigy's terms.
            return (string.Empty, $"threw {ErrorText(ex)}; using an empty string", false);
        }
#pragma warning disable CA1031 // the script is untrusted: any engine failure must become a clear error, not a crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (string.Empty, $"could not be evaluated ({ex.GetType().Name}: {ex.Message})", true);
        }
    }

    private string Milliseconds => _options.Timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private Engine CreateEngine()
    {
        var engine = new Engine(o =>
        {
            // Strict: a typo such as `srs = cc.x` is a ReferenceError instead of a new global, and `this` in a plain
            // call is undefined rather than the global object.
            o.Strict();
            o.TimeoutInterval(_options.Timeout)
             .MaxStatements(_options.MaxStatements)
             .LimitRecursion(_options.RecursionLimit)
             .LimitMemory(_options.MaxAllocatedBytes);
            // Off by default in Jint 4; said here so nobody turns it on for a "helper": no CLR types, namespaces,
            // importNamespace or reflection from a designer's script.
            o.Interop.Enabled = false;
            // A regex match is one native call that the statement and time checks cannot interrupt (Jint's default is 10 s).
            if (_options.Timeout > TimeSpan.Zero) o.Constraints.RegexTimeout = _options.Timeout;
        });
        // A UTF-16 character is two bytes: the longest string a guarded built-in may make is what the memory limit allows.
        if (_options.MaxAllocatedBytes > 0) NativeAllocationGuard.Install(engine, _options.MaxAllocatedBytes / 2);
        var parser = new JsonParser(engine);
        var input = parser.Parse(_input);
        var context = parser.Parse(_context);
        var profile = parser.Parse(_profile);
        engine.SetValue("input", input).SetValue("ci", input)
              .SetValue("context", context).SetValue("cc", context)
              .SetValue("profile", profile).SetValue("cp", profile);
        return engine;
    }

    // Positions are within the expression between the braces; Acornima's Column is 0-based, editors count from 1.
    private static string Describe(ParseErrorException error) =>
        $"line {error.LineNumber}, column {error.Column + 1}: {error.Description}";

    // "TypeError: Cannot read properties of undefined …" tells a designer more than the message alone. The name is read
    // only as a data property, so no script (a getter) runs outside the engine's limits.
    private static string ErrorText(JavaScriptException ex)
    {
        for (ObjectInstance? o = ex.Error as JsError; o is not null; o = o.Prototype)
        {
            var name = o.GetOwnProperty("name");
            if (name == PropertyDescriptor.Undefined) continue;
            return name.IsDataDescriptor() && name.Value.IsString() ? $"{name.Value.AsString()}: {ex.Message}" : ex.Message;
        }
        return ex.Message;
    }

    private static (string Value, string? Problem, bool Failed) ToText(JsValue value)
    {
        if (value.IsUndefined()) return (string.Empty, "evaluated to undefined; using an empty string", false);
        if (value.IsNull()) return (string.Empty, "evaluated to null; using an empty string", false);
        if (value.IsString()) return (value.AsString(), null, false);
        if (value.IsNumber() || value.IsBoolean() || value.IsBigInt() || value.IsArray() || value.IsDate() || value.IsRegExp())
        {
            return (TypeConverter.ToString(value), null, false);
        }
        var kind = value switch
        {
            Function => "a function",
            JsSymbol => "a symbol",
            _ => "an object",
        };
        return (string.Empty, $"evaluated to {kind}, which is not text; use a property or JSON.stringify(...). Using an empty string", false);
    }
}
