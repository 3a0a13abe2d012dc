using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.FlowNode.Descriptors;
using Siprec.FlowNode.Nodes;
using Siprec.FlowNode.Flows;

namespace Siprec.FlowNode.Tests.Descriptors;

public sealed class CallRecordingNodeDescriptorTests
{
    private static readonly NodeDescriptor Descriptor = CallRecordingNodeDescriptor.Create();

    private static NodeField Field(string key) => Descriptor.Fields.Single(f => f.Key == key);

    [Fact]
    public void Descriptor_HasNoProblems()
    {
        Assert.Empty(DescriptorCheck.Problems(Descriptor));
    }

    [Fact]
    public void Type_IsTheFlowNodeType()
    {
        Assert.Equal(FlowNodeDefinition.CallRecording, Descriptor.Type);
    }

    [Fact]
    public void Activity_IsASelectOfTheFourWireNames_DefaultingToStart()
    {
        var activity = Field("activity");

        Assert.Equal(NodeFieldTypes.Select, activity.Type);
        Assert.Equal(RecordingActionNames.All, activity.Params!.Options!.Select(o => o.Value));
        Assert.Equal("startCallRecording", (string?)activity.DefaultValue);
        Assert.Null(activity.Condition);
    }

    [Fact]
    public void Server_IsRequiredCognigyText_ShownOnlyForStart()
    {
        var server = Field("recordingServer");

        Assert.Equal(NodeFieldTypes.CognigyText, server.Type);
        Assert.True(server.Params!.Required);
        Assert.Equal(new NodeFieldCondition("activity", "startCallRecording"), server.Condition);
        Assert.True(server.Condition!.IsMetBy("startCallRecording"));
        Assert.All(["stopCallRecording", "pauseCallRecording", "resumeCallRecording"], a => Assert.False(server.Condition.IsMetBy(a)));
    }

    [Fact]
    public void RecordingId_IsOptionalCognigyText_ShownOnlyForStart()
    {
        var id = Field("recordingId");

        Assert.Equal(NodeFieldTypes.CognigyText, id.Type);
        Assert.Null(id.Params?.Required);
        Assert.Equal("startCallRecording", id.Condition!.Value);
    }

    [Fact]
    public void FieldKeys_AreTheConfigPropertiesTheNodeReads()
    {
        var config = new JObject();
        foreach (var field in Descriptor.Fields) config[field.Key] = "v-" + field.Key;

        var read = CallRecordingNodeConfig.FromJson(config);

        Assert.Equal(["activity", "recordingServer", "recordingId"], Descriptor.Fields.Select(f => f.Key));
        Assert.Equal(("v-activity", "v-recordingServer", "v-recordingId"), (read.Activity, read.RecordingServer, read.RecordingId));
    }

    [Fact]
    public void Form_ShowsActivityThenTheRecorderSection_AndPreviewsTheActivity()
    {
        Assert.Equal([NodeFormElement.Field("activity"), NodeFormElement.Section("recorder")], Descriptor.Form);
        Assert.Equal(["recordingServer", "recordingId"], Descriptor.Sections.Single().Fields);
        Assert.Equal(new NodePreview("activity", "text"), Descriptor.Preview);
    }

    [Fact]
    public void Serialized_HasTheCognigyDescriptorShape()
    {
        var json = JObject.Parse(DescriptorJson.Serialize(Descriptor));

        Assert.Equal("callRecording", (string?)json["type"]);
        Assert.Equal("Call Recording", (string?)json["defaultLabel"]);
        Assert.True(JToken.DeepEquals(JToken.Parse("{\"key\":\"activity\",\"value\":\"startCallRecording\"}"), json["fields"]![1]!["condition"]));
        Assert.True(JToken.DeepEquals(JToken.Parse("{\"required\":true}"), json["fields"]![1]!["params"]));
        Assert.True(JToken.DeepEquals(JToken.Parse("{\"label\":\"Start Call Recording\",\"value\":\"startCallRecording\"}"), json["fields"]![0]!["params"]!["options"]![0]));
    }
}
