using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Sdk;

/// <summary>
/// The Cognigy Voice Gateway output envelope: <c>{"_cognigy":{"_voiceGateway2":{"json":&lt;verb&gt;}}}</c>, the data
/// a node passes to <c>api.output</c> so Voice Gateway executes a jambonz verb.
/// </summary>
public static class VoiceGatewayOutput
{
    /// <summary>Wraps <paramref name="verb"/> (not copied) in the envelope.</summary>
    public static JObject Wrap(JObject verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        return new JObject { ["_cognigy"] = new JObject { ["_voiceGateway2"] = new JObject { ["json"] = verb } } };
    }

    /// <summary>The verb inside an envelope, or null when <paramref name="output"/> is not one.</summary>
    public static JObject? Unwrap(JObject? output) => output?["_cognigy"]?["_voiceGateway2"]?["json"] as JObject;
}
