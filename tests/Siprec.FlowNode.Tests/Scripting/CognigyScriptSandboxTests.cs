using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Scripting;
using Siprec.FlowNode.Flows;

namespace Siprec.FlowNode.Tests.Scripting;

/// <summary>The sandbox's limits and its refusal of CLR access, on Jint 4: each refusal names the limit or the error.</summary>
public sealed class CognigyScriptSandboxTests
{
    private static readonly FlowInputs Inputs = new() { Context = JObject.Parse("{\"srs\":[\"sip:a@127.0.0.1\"]}") };

    // A generous time limit where another limit is under test, so that a slow machine does not stop the script first.
    private static readonly CognigyScriptOptions SlowMachine = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static CognigyScriptResult Eval(string text, CognigyScriptOptions? options = null) =>
        new CognigyScript(NullLogger<CognigyScript>.Instance, options).Evaluate(text, Inputs, "field");

    [Theory]
    [InlineData("{{ let s = 'x'; for (let i = 0; i < 40; i++) s += s; s.length }}")]
    [InlineData("{{ new Array(1e8).fill(1).length }}")]
    [InlineData("{{ [...Array(1e7).keys()].length }}")]
    [InlineData("{{ 'x'.padStart(5e7).length }}")]
    // One native call each, which Jint's limit (checked between statements) saw only after hundreds of MB to GB were made.
    [InlineData("{{ 'x'.repeat(4e8).length }}")]
    [InlineData("{{ Array(100).fill('x'.repeat(3e5)).join('').length }}")]
    [InlineData("{{ String(Array(100).fill('x'.repeat(3e5))).length }}")]
    [InlineData("{{ [[ 'x'.repeat(3e5), 'y'.repeat(3e5) ], Array(50).fill('z'.repeat(3e5))].join().length }}")]
    [InlineData("{{ ''.concat(...Array(100).fill('x'.repeat(3e5))).length }}")]
    [InlineData("{{ 'x'.repeat(1e5).replaceAll('x', 'y'.repeat(1e3)).length }}")]
    [InlineData("{{ 'x'.repeat(1e5).replace(/x/g, 'y'.repeat(1e3)).length }}")]
    [InlineData("{{ JSON.stringify({ a: Array(100).fill('x'.repeat(3e5)) }).length }}")]
    [InlineData("{{ Array.prototype.join.call({ length: 1e12 }, '').length }}")]
    public void Evaluate_StopsAMemoryBomb_OnTheMemoryLimit(string text)
    {
        var result = Eval(text, SlowMachine with { MaxStatements = 0 });

        Assert.False(result.Succeeded);
        Assert.Equal(string.Empty, result.Value);
        Assert.Equal($"field: CognigyScript '{text}' was stopped after allocating more than 16 MiB (memory limit); does it build an ever-growing string or array?", result.Error);
    }

    [Theory]
    [InlineData("{{ ['sip:a@10.0.0.1', 'sip:b@10.0.0.2'].join(',') }}", "sip:a@10.0.0.1,sip:b@10.0.0.2")]
    [InlineData("{{ 'sip:a@h;sip:b@h'.replaceAll(';', ',') }}", "sip:a@h,sip:b@h")]
    [InlineData("{{ 'sip:' + 'x'.repeat(3) + '@h' }}", "sip:xxx@h")]
    [InlineData("{{ 'sip:a@h'.replace(/a/g, 'srs').concat(',sip:b@h') }}", "sip:srs@h,sip:b@h")]
    [InlineData("{{ JSON.parse(JSON.stringify({ u: 'sip:a@h' })).u }}", "sip:a@h")]
    [InlineData("{{ String(cc.srs) }}", "sip:a@127.0.0.1")]
    public void Evaluate_TheGuardedBuiltIns_StillWorkOnOrdinaryValues(string text, string expected)
    {
        var result = Eval(text);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Evaluate_StopsAnEndlessLoop_OnTheStatementLimit()
    {
        var result = Eval("{{ let n = 0; for (;;) n++; }}", SlowMachine);

        Assert.False(result.Succeeded);
        Assert.EndsWith("was stopped after 10000 statements (statement limit); does it loop forever?", result.Error);
    }

    [Fact]
    public void Evaluate_StopsACatastrophicRegularExpression_OnTheTimeLimit()
    {
        // One native call: neither the statement count nor the memory check can interrupt it, only the regex timeout.
        var result = Eval("{{ /(a+)+b/.test('a'.repeat(40) + 'c') }}");

        Assert.False(result.Succeeded);
        Assert.EndsWith("was stopped: a regular expression ran longer than 50 ms (time limit)", result.Error);
    }

    [Theory]
    [InlineData("{{ const o = { get a() { return this.a; } }; o.a }}")]
    [InlineData("{{ class A { constructor() { new A(); } }; new A() }}")]
    [InlineData("{{ const f = n => f(n + 1); f(0) }}")]
    public void Evaluate_StopsDeepRecursion_OnTheRecursionLimit(string text)
    {
        var result = Eval(text, SlowMachine);

        Assert.False(result.Succeeded);
        Assert.EndsWith("was stopped: calls nested deeper than 64 (recursion limit)", result.Error);
    }

    [Fact]
    public void Evaluate_RefusesAnExpressionNestedTooDeeplyToParse_WithoutCrashing()
    {
        var text = "{{ " + new string('[', 100_000) + new string(']', 100_000) + " }}";

        var result = Eval(text, SlowMachine);

        Assert.False(result.Succeeded);
        Assert.EndsWith("is nested too deeply to be read", result.Error);
    }

    [Theory]
    [InlineData("{{ System.IO.File }}", "threw ReferenceError: System is not defined")]
    [InlineData("{{ importNamespace('System.IO') }}", "threw ReferenceError: importNamespace is not defined")]
    [InlineData("{{ clrHelper.typeOf(cc) }}", "threw ReferenceError: clrHelper is not defined")]
    [InlineData("{{ cc.GetType() }}", "threw TypeError:")]
    [InlineData("{{ cc.srs.GetType().Assembly }}", "threw TypeError:")]
    [InlineData("{{ Object.getPrototypeOf(cc).constructor.constructor('return System')() }}", "threw ReferenceError: System is not defined")]
    [InlineData("{{ Function('return this')().System }}", "threw TypeError:")]
    public void Evaluate_RefusesClrAccess_WithTheJavaScriptError(string text, string why)
    {
        var result = Eval(text);

        Assert.Equal(string.Empty, result.Value);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith($"field: CognigyScript '{text}' {why}", warning);
        Assert.EndsWith("; using an empty string", warning);
    }

    [Fact]
    public void Evaluate_ExposesNoClrNamesOnTheGlobalObject()
    {
        var names = Eval("{{ Reflect.ownKeys(globalThis).map(String).join(',') }}").Value.Split(',');

        Assert.Contains("cc", names);
        Assert.DoesNotContain("System", names);
        Assert.DoesNotContain("importNamespace", names);
        Assert.DoesNotContain("clrHelper", names);
    }

    [Fact]
    public void Evaluate_RefusesModuleImports()
    {
        var result = Eval("{{ import('System.IO') }}");

        Assert.False(result.Succeeded);
        Assert.Contains("could not be evaluated", result.Error);
    }

    [Fact]
    public void Evaluate_RunsInStrictMode_SoATypoDoesNotCreateAGlobal()
    {
        var result = Eval("{{ srsUri = cc.srs[0]; srsUri }}");

        Assert.Equal(string.Empty, result.Value);
        Assert.Contains("threw ReferenceError: srsUri is not defined", Assert.Single(result.Warnings));
    }

    [Fact]
    public void Evaluate_GivesEachSegmentItsOwnBudget()
    {
        // 3 × 4000 statements would exceed one shared 10 000-statement budget.
        var segment = "{{ (() => { let n = 0; for (let i = 0; i < 2000; i++) n++; return n; })() }}";

        var result = Eval($"{segment},{segment},{segment}", SlowMachine);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("2000,2000,2000", result.Value);
    }

    // Converting an array to text runs its elements' own toString after the script itself has returned.
    [Fact]
    public void Evaluate_KeepsTheTimeLimit_WhileConvertingAnArrayToText()
    {
        var result = Eval("{{ [{ toString() { while (true) {} } }] }}", new CognigyScriptOptions { MaxStatements = 0 });

        Assert.False(result.Succeeded);
        Assert.EndsWith("(time limit); does it loop forever?", result.Error);
    }

    [Fact]
    public void Evaluate_KeepsTheRecursionLimit_WhileConvertingAnArrayToText()
    {
        var result = Eval("{{ [{ toString() { return String([this]); } }] }}", SlowMachine);

        Assert.False(result.Succeeded);
        Assert.EndsWith("(recursion limit)", result.Error);
    }
}
