using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Descriptors;

namespace Siprec.FlowNode.Tests.Descriptors;

public sealed class DescriptorCheckTests
{
    [Fact]
    public void Problems_NameEveryBrokenReference()
    {
        var good = CallRecordingNodeDescriptor.Create();
        var broken = good with
        {
            Fields =
            [
                good.Fields[0] with { DefaultValue = new JValue("recordForever") },
                good.Fields[1] with { Condition = new NodeFieldCondition("activity", "startRecording") },
                good.Fields[2] with { Condition = new NodeFieldCondition("mode", "x") },
                good.Fields[2],
                new NodeField { Key = "extra", Type = "slider", Label = "Extra" },
            ],
            Sections = [good.Sections[0] with { Fields = ["recordingServer", "nope"] }],
            Form = [.. good.Form, NodeFormElement.Section("missing")],
            Preview = new NodePreview("gone", "text"),
        };

        var problems = DescriptorCheck.Problems(broken);

        Assert.Equal(
        [
            "node 'callRecording': field key 'recordingId' is used twice",
            "node 'callRecording': field 'extra' has unknown type 'slider'",
            "node 'callRecording': select field 'activity' defaults to 'recordForever', which is not one of its options",
            "node 'callRecording': field 'recordingServer' has a condition on 'activity' = 'startRecording', which is not one of its options",
            "node 'callRecording': field 'recordingId' has a condition on unknown field 'mode'",
            "node 'callRecording': section 'recorder' names unknown field 'nope'",
            "node 'callRecording': form row section 'missing' names nothing the descriptor defines",
            "node 'callRecording': field 'recordingId' is not on the form",
            "node 'callRecording': field 'extra' is not on the form",
            "node 'callRecording': preview names unknown field 'gone'",
        ], problems);
    }
}
