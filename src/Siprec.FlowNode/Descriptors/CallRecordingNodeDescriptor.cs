using Newtonsoft.Json.Linq;
using Siprec.Control;

namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// The Call Recording node's descriptor (DESIGN §1): an <c>activity</c> select defaulting to
/// <c>startCallRecording</c>, and the recording server (required) and recording ID fields, both shown only for start.
/// The field keys are the <c>config</c> properties <see cref="CallRecordingNodeConfig.FromJson"/> reads.
/// </summary>
public static class CallRecordingNodeDescriptor
{
    /// <summary>The activity field's key.</summary>
    public const string ActivityField = "activity";

    /// <summary>The section holding the start-only fields.</summary>
    public const string RecorderSection = "recorder";

    /// <summary>Builds the descriptor; a new instance on each call.</summary>
    public static NodeDescriptor Create()
    {
        var startOnly = new NodeFieldCondition(ActivityField, RecordingActionNames.Start);
        return new NodeDescriptor
        {
            Type = CallRecordingNode.NodeType,
            DefaultLabel = "Call Recording",
            Summary = "Records the call over SIPREC: start, stop, pause or resume",
            Appearance = new NodeAppearance("#c62828", "#ffffff", "regular"),
            Fields =
            [
                new NodeField
                {
                    Key = ActivityField,
                    Type = NodeFieldTypes.Select,
                    Label = CallRecordingNode.ActivityLabel,
                    Description = "What the node does to the call's recording. Pause before collecting a card number and resume after it, so it is never recorded.",
                    DefaultValue = new JValue(RecordingActionNames.Start),
                    Params = new NodeFieldParams
                    {
                        Required = true,
                        Options =
                        [
                            new NodeFieldOption("Start Call Recording", RecordingActionNames.Start),
                            new NodeFieldOption("Stop Call Recording", RecordingActionNames.Stop),
                            new NodeFieldOption("Pause Call Recording", RecordingActionNames.Pause),
                            new NodeFieldOption("Resume Call Recording", RecordingActionNames.Resume),
                        ],
                    },
                },
                new NodeField
                {
                    Key = CallRecordingNode.RecordingServerField,
                    Type = NodeFieldTypes.CognigyText,
                    Label = CallRecordingNode.RecordingServerLabel,
                    Description = "One SIP URI (sip: or sips:), or a comma-separated list to record to several servers in parallel, e.g. sip:srs1.example.com,sip:srs2.example.com:5070 or {{ cc.srsList.join(',') }}. Other schemes (wss:, https:, a bare host) are refused.",
                    Params = new NodeFieldParams { Required = true },
                    Condition = startOnly,
                },
                new NodeField
                {
                    Key = CallRecordingNode.RecordingIdField,
                    Type = NodeFieldTypes.CognigyText,
                    Label = CallRecordingNode.RecordingIdLabel,
                    Description = "Optional. Sent to the recording servers to correlate the recording with your case, e.g. {{ cc.caseId }}. Left out when empty.",
                    Condition = startOnly,
                },
            ],
            Sections =
            [
                new NodeSection(RecorderSection, "Recording Server", false, [CallRecordingNode.RecordingServerField, CallRecordingNode.RecordingIdField]),
            ],
            Form = [NodeFormElement.Field(ActivityField), NodeFormElement.Section(RecorderSection)],
            Preview = new NodePreview(ActivityField, "text"),
            Tags = ["voice", "recording", "siprec", "compliance"],
        };
    }
}
