using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Scripting;
using Siprec.FlowNode.Flows;

namespace Siprec.FlowNode.Tests.Scripting;

public sealed class CognigyScriptTests
{
    private static readonly FlowInputs Inputs = new()
    {
        Input = JObject.Parse("{\"data\":{\"srs\":\"sip:from-input@127.0.0.1\"},\"text\":\"hi\"}"),
        Context = JObject.Parse("{\"srsList\":[\"sip:a@127.0.0.1\",\"sip:b@127.0.0.1\"],\"recordingId\":\"rec-1\",\"n\":42,\"flag\":true,\"obj\":{\"k\":1}}"),
        Profile = JObject.Parse("{\"firstname\":\"Ada\"}"),
    };

    private static CognigyScriptResult Eval(string text) =>
        new CognigyScript(NullLogger<CognigyScript>.Instance).Evaluate(text, Inputs, "field");

    [Fact]
    public void Evaluate_JoinsAContextArray()
    {
        var result = Eval("{{cc.srsList.join(',')}}");
        Assert.Equal("sip:a@127.0.0.1,sip:b@127.0.0.1", result.Value);
        Assert.True(result.Succeeded);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Evaluate_ReadsInputThroughTheCiAlias()
    {
        Assert.Equal("sip:from-input@127.0.0.1", Eval("{{ci.data.srs}}").Value);
    }

    [Fact]
    public void Evaluate_ReadsFullNamesAndProfile()
    {
        Assert.Equal("hi Ada / rec-1", Eval("{{ input.text }} {{ cp.firstname }} / {{ context.recordingId }}").Value);
    }

    [Fact]
    public void Evaluate_WritesArraysLikeJavaScriptToString()
    {
        Assert.Equal("sip:a@127.0.0.1,sip:b@127.0.0.1", Eval("{{ cc.srsList }}").Value);
    }

    [Fact]
    public void Evaluate_WritesNumbersAndBooleansAsJavaScriptDoes()
    {
        Assert.Equal("42 true 0.5", Eval("{{ cc.n }} {{ cc.flag }} {{ 1/2 }}").Value);
    }

    [Fact]
    public void Evaluate_LeavesTextWithoutSegmentsAlone()
    {
        Assert.Equal("sip:static@127.0.0.1", Eval("sip:static@127.0.0.1").Value);
    }

    [Theory]
    [InlineData("{{ cc.missing }}", "undefined")]
    [InlineData("{{ null }}", "null")]
    [InlineData("{{ ci.nothing.deeper }}", "threw")]
    [InlineData("{{ cc.obj }}", "an object")]
    [InlineData("{{ }}", "undefined")]
    public void Evaluate_GivesEmptyStringAndAWarning_ForMissingOrInvalidValues(string text, string reason)
    {
        var result = Eval(text);

        Assert.Equal(string.Empty, result.Value);
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains(reason, warning);
        Assert.Contains(text, warning);
        Assert.StartsWith("field:", warning);
    }

    [Fact]
    public void Evaluate_StopsAnEndlessLoop_WithAClearError()
    {
        var result = Eval("{{ while(true){} }}");

        Assert.False(result.Succeeded);
        Assert.Equal(string.Empty, result.Value);
        Assert.Contains("{{ while(true){} }}", result.Error);
        Assert.Matches(@"\((statement|time) limit\); does it loop forever\?$", result.Error);
    }

    [Fact]
    public void Evaluate_StopsAnEndlessLoopOnTheTimeLimit_WhenStatementsAreUnlimited()
    {
        var script = new CognigyScript(NullLogger<CognigyScript>.Instance, new CognigyScriptOptions { MaxStatements = 0 });

        var result = script.Evaluate("{{ while(true){} }}", Inputs, "field");

        Assert.False(result.Succeeded);
        Assert.EndsWith("was stopped after 50 ms (time limit); does it loop forever?", result.Error);
    }

    [Fact]
    public void Evaluate_StopsRunawayRecursion()
    {
        // A generous time limit so that the recursion limit, not a slow machine, stops the script.
        var script = new CognigyScript(NullLogger<CognigyScript>.Instance, new CognigyScriptOptions { Timeout = TimeSpan.FromSeconds(30) });
        var result = script.Evaluate("{{ (function f(n){ return f(n+1); })(0) }}", Inputs, "field");

        Assert.False(result.Succeeded);
        Assert.Contains("recursion limit", result.Error);
    }

    // Designers write modern JavaScript inside {{ }} (issue 13); each row is one form with the text it must give.
    [Theory]
    [InlineData("{{ cc.srsList?.join(',') }}", "sip:a@127.0.0.1,sip:b@127.0.0.1")]
    [InlineData("{{ cc.missing?.join(',') ?? 'sip:default@127.0.0.1' }}", "sip:default@127.0.0.1")]
    [InlineData("{{ cc.missing?.() ?? 'none' }}", "none")]
    [InlineData("{{ 0 ?? 7 }}|{{ 0 || 7 }}", "0|7")]
    [InlineData("{{ `sip:${cc.recordingId}@127.0.0.1` }}", "sip:rec-1@127.0.0.1")]
    [InlineData("{{ `it's ${cc.n}` }}", "it's 42")]
    [InlineData("{{ `a}}b` }}", "a}}b")]
    [InlineData("{{ String.raw`a\\nb` }}", "a\\nb")]
    [InlineData("{{ cc.srsList.map(u => u.replace('sip:', 'sips:')).join(',') }}", "sips:a@127.0.0.1,sips:b@127.0.0.1")]
    [InlineData("{{ cc.srsList.filter(u => u.includes('b@')).join() }}", "sip:b@127.0.0.1")]
    [InlineData("{{ (() => { const { recordingId, n: count } = cc; return `${recordingId}/${count}`; })() }}", "rec-1/42")]
    [InlineData("{{ (([first, ...rest]) => `${first}+${rest.length}`)(cc.srsList) }}", "sip:a@127.0.0.1+1")]
    [InlineData("{{ [...cc.srsList, 'sip:c@127.0.0.1'].length }}", "3")]
    [InlineData("{{ JSON.stringify({ ...cc.obj, j: 2 }) }}", "{\"k\":1,\"j\":2}")]
    [InlineData("{{ cc.srsList.includes('sip:a@127.0.0.1') }}", "true")]
    [InlineData("{{ String(cc.n).padStart(6, '0') }}", "000042")]
    [InlineData("{{ Object.entries(cc.obj).map(([k, v]) => `${k}=${v}`).join('&') }}", "k=1")]
    [InlineData("{{ JSON.stringify(Object.fromEntries([['a', 1]])) }}", "{\"a\":1}")]
    [InlineData("{{ (() => { const ids = []; for (let i = 1; i <= 3; i++) ids.push(i); return ids.join('-'); })() }}", "1-2-3")]
    [InlineData("{{ ((host, port = 5060) => `${host}:${port}`)('srs') }}", "srs:5060")]
    [InlineData("{{ 2 ** 10 }}", "1024")]
    [InlineData("{{ [[1, 2], [3]].flat().at(-1) }}", "3")]
    [InlineData("{{ 'a.b.c'.replaceAll('.', ':') }}", "a:b:c")]
    [InlineData("{{ (() => { let x = null; x ??= 'y'; return x; })() }}", "y")]
    [InlineData("{{ new (class Srs { constructor(u) { this.u = u; } get uri() { return `sip:${this.u}`; } })('x').uri }}", "sip:x")]
    [InlineData("{{ 2n ** 64n }}", "18446744073709551616")]
    [InlineData("{{ 1_000 + 1 }}", "1001")]
    [InlineData("{{ const a = 1; a }}-{{ const a = 2; a }}", "1-2")]
    public void Evaluate_RunsModernJavaScript(string text, string expected)
    {
        var result = Eval(text);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("{{ 1 + }}", "line 1, column 6: Unexpected end of input")]
    [InlineData("{{ cc..x }}", "line 1, column 5: Unexpected token '.'")]
    [InlineData("{{ with (cc) { x } }}", "Strict mode code may not include a with statement")]
    public void Evaluate_ReportsASyntaxError_WithTheExpressionAndWhere(string text, string where)
    {
        var result = Eval(text);

        Assert.False(result.Succeeded);
        Assert.Equal(string.Empty, result.Value);
        Assert.StartsWith($"field: CognigyScript '{text}' has a syntax error (", result.Error);
        Assert.Contains(where, result.Error);
    }

    [Fact]
    public void Evaluate_HasNoClrAccess()
    {
        Assert.Equal("undefined undefined undefined", Eval("{{ typeof System }} {{ typeof importNamespace }} {{ typeof clrHelper }}").Value);
    }

    [Fact]
    public void Evaluate_DoesNotLetScriptsChangeTheFlowContext()
    {
        var inputs = new FlowInputs { Context = JObject.Parse("{\"x\":1}") };
        new CognigyScript(NullLogger<CognigyScript>.Instance).Evaluate("{{ cc.x = 2 }}", inputs, "field");
        Assert.Equal(1, (int)inputs.Context["x"]!);
    }

    [Fact]
    public void Evaluate_ReadsSegmentsContainingBracesAndStrings()
    {
        Assert.Equal("{\"a\":{\"b\":\"}}\"}}", Eval("{{ JSON.stringify({a:{b:'}}'}}) }}").Value);
    }

    [Fact]
    public void Evaluate_KeepsAnUnclosedSegmentAsText_WithAWarning()
    {
        var result = Eval("sip:a {{ cc.x");
        Assert.Equal("sip:a {{ cc.x", result.Value);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Evaluate_PassesValuesWithLineBreaksThrough_ForTheCallerToRefuse()
    {
        Assert.Equal("a\r\nb", Eval("{{ 'a\\r\\nb' }}").Value);
    }
}
