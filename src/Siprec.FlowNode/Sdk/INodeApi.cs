using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Sdk;

/// <summary>
/// Port: the flow engine's <c>api</c> object as a node sees it (Cognigy's <c>api.output</c> and <c>api.log</c>).
/// The host implements it; tests mock it. Implementations must not throw.
/// </summary>
public interface INodeApi
{
    /// <summary>Sends data to the channel, like Cognigy's <c>api.output(null, data)</c>; on Voice Gateway the
    /// <c>_cognigy._voiceGateway2.json</c> member is executed as a jambonz verb.</summary>
    void Output(JObject data);

    /// <summary>Writes a line to the flow's log, like Cognigy's <c>api.log(level, text)</c>.</summary>
    void Log(LogLevel level, string message);
}
