using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Tests;

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

    [Theory]
    [InlineData("{{ a?.b }}")]
    [InlineData("{{ `x${1}` }}")]
    [InlineData("{{ [1].map(x => x) }}")]
    public void Evaluate_ReportsEs2015Syntax_AsUnsupportedByEcmaScript51(string text)
    {
        var result = Eval(text);

        Assert.False(result.Succeeded);
        Assert.Contains("syntax error", result.Error);
        Assert.Contains("ECMAScript 5.1", result.Error);
        Assert.Contains(text, result.Error);
    }

    [Fact]
    public void Evaluate_HasNoClrAccess()
    {
        Assert.Equal("undefined undefined", Eval("{{ typeof System }} {{ typeof importNamespace }}").Value);
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
