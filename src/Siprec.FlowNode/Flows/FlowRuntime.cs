namespace Siprec.FlowNode.Flows;

/// <summary>Where a flow runs, which decides how the Call Recording node delivers its request (DESIGN §4.1).</summary>
public enum FlowRuntime
{
    /// <summary>This toolkit's gateway: the node sends the in-dialog INFO through <see cref="ICallControl.SendInfoAsync"/>
    /// and only a 200 answer changes the recording state.</summary>
    Gateway,

    /// <summary>Cognigy Voice Gateway / jambonz: the node emits the jambonz <c>config.record</c> verb through
    /// <see cref="INodeApi.Output"/> as <c>{"_cognigy":{"_voiceGateway2":{"json":…}}}</c>; there is no answer, so the
    /// state changes when the verb is emitted.</summary>
    VoiceGateway2,
}
