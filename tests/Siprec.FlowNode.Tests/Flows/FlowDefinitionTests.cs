using Siprec.Testing;
using Siprec.FlowNode.Flows;

namespace Siprec.FlowNode.Tests.Flows;

public sealed class FlowDefinitionTests
{
    [Fact]
    public void Load_ReadsTheSampleFlowInOrder()
    {
        var flow = FlowDefinition.Load(Path.Combine(RepoPaths.Samples, "flows", "record-call.json"));

        Assert.Equal("record-call", flow.Name);
        Assert.Equal(["callRecording", "play", "callRecording", "play", "callRecording", "wait", "callRecording", "play", "hangUp"],
            flow.Nodes.Select(n => n.Type));
        Assert.Equal("{{ cc.srsList.join(',') }}", (string?)flow.Nodes[0].Config["recordingServer"]);
    }

    [Fact]
    public void Parse_GivesAnEmptyConfig_WhenANodeHasNone()
    {
        var flow = FlowDefinition.Parse("{\"nodes\":[{\"type\":\"hangUp\"}]}");
        Assert.Equal("flow", flow.Name);
        Assert.Empty(flow.Nodes[0].Config);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"name\":\"x\"}", "\"nodes\" array")]
    [InlineData("{\"nodes\":[{\"type\":\"dance\"}]}", "node 0: unknown type 'dance'")]
    [InlineData("{\"nodes\":[{\"type\":\"hangUp\"},{\"type\":\"play\",\"config\":{}}]}", "node 1 (play): config.prompt")]
    [InlineData("{\"nodes\":[{\"type\":\"wait\",\"config\":{\"seconds\":-1}}]}", "node 0 (wait): config.seconds")]
    [InlineData("{\"nodes\":[{\"type\":\"wait\",\"config\":{\"seconds\":\"2\"}}]}", "node 0 (wait): config.seconds")]
    [InlineData("{\"nodes\":[{\"type\":\"callRecording\",\"config\":{\"activity\":\"record\"}}]}", "node 0 (callRecording): Activity (config.activity) 'record' is not one of startCallRecording")]
    [InlineData("{\"nodes\":[{\"type\":\"play\",\"config\":\"welcome\"}]}", "config must be an object")]
    public void Parse_RejectsDesignerMistakes_NamingTheNode(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => FlowDefinition.Parse(json));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("{\"nodes\":[]}", FlowRuntime.Gateway)]
    [InlineData("{\"runtime\":\"gateway\",\"nodes\":[]}", FlowRuntime.Gateway)]
    [InlineData("{\"runtime\":\"voiceGateway2\",\"nodes\":[]}", FlowRuntime.VoiceGateway2)]
    [InlineData("{\"runtime\":\"vg2\",\"nodes\":[]}", FlowRuntime.VoiceGateway2)]
    public void Parse_ReadsTheRuntime_DefaultingToTheGateway(string json, FlowRuntime expected)
    {
        Assert.Equal(expected, FlowDefinition.Parse(json).Runtime);
    }

    [Theory]
    [InlineData("{\"runtime\":\"jambonz\",\"nodes\":[]}", "flow: runtime 'jambonz' is not one of gateway, voiceGateway2")]
    [InlineData("{\"runtime\":2,\"nodes\":[]}", "flow: runtime '2' is not one of gateway, voiceGateway2")]
    public void Parse_RejectsAnUnknownRuntime_NamingIt(string json, string expected)
    {
        Assert.Equal(expected, Assert.Throws<FormatException>(() => FlowDefinition.Parse(json)).Message);
    }

    [Fact]
    public void Load_PrefixesErrorsWithThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"flow-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"nodes\":[{\"type\":\"dance\"}]}");
        try
        {
            var ex = Assert.Throws<FormatException>(() => FlowDefinition.Load(path));
            Assert.StartsWith(path + ": node 0", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
