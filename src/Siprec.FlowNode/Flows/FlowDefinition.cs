using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Control;

namespace Siprec.FlowNode.Flows;

/// <summary>
/// A flow as JSON: <c>{"name":…,"runtime":"gateway"|"voiceGateway2","nodes":[{"type":"callRecording","config":{…}},{"type":"play","config":{"prompt":"welcome"}},
/// {"type":"wait","config":{"seconds":2}},{"type":"hangUp"}]}</c>. Checked when loaded, so a designer's mistake
/// is reported with the node's index before any call runs it.
/// </summary>
public sealed class FlowDefinition
{
    private FlowDefinition(string name, FlowRuntime runtime, IReadOnlyList<FlowNodeDefinition> nodes)
    {
        Name = name;
        Runtime = runtime;
        Nodes = nodes;
    }

    /// <summary>The flow's name (for logs); <c>flow</c> when the JSON has none.</summary>
    public string Name { get; }

    /// <summary>Where the flow runs (<c>"runtime"</c>: <c>gateway</c>, the default, or <c>voiceGateway2</c>); decides how
    /// the Call Recording node delivers its request.</summary>
    public FlowRuntime Runtime { get; }

    /// <summary>The nodes in execution order.</summary>
    public IReadOnlyList<FlowNodeDefinition> Nodes { get; }

    /// <summary>Reads and checks a flow file (UTF-8 JSON).</summary>
    /// <exception cref="IOException">The file cannot be read (including <see cref="FileNotFoundException"/>).</exception>
    /// <exception cref="FormatException">The content is not a valid flow; the message names the node and field.</exception>
    public static FlowDefinition Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var json = File.ReadAllText(path);
        try
        {
            return Parse(json);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses and checks a flow from JSON text.</summary>
    /// <exception cref="FormatException">The text is not JSON or not a valid flow; the message names the node and field.</exception>
    public static FlowDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = JToken.ReadFrom(reader);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"flow is not valid JSON: {ex.Message}", ex);
        }
        if (root is not JObject obj) throw new FormatException("flow must be a JSON object with \"name\" and \"nodes\"");
        var name = obj["name"] is JValue { Type: JTokenType.String } n ? (string)n! : "flow";
        var runtime = FlowRuntime.Gateway;
        if (obj["runtime"] is { Type: not JTokenType.Null } runtimeToken
            && (runtimeToken is not JValue { Type: JTokenType.String } r || !FlowRuntimeNames.TryParse((string?)r, out runtime)))
        {
            throw new FormatException($"flow: runtime '{runtimeToken}' is not one of {string.Join(", ", FlowRuntimeNames.All)}");
        }
        if (obj["nodes"] is not JArray array) throw new FormatException("flow must have a \"nodes\" array");

        var nodes = new List<FlowNodeDefinition>(array.Count);
        for (var i = 0; i < array.Count; i++) nodes.Add(ParseNode(array[i], i));
        return new FlowDefinition(name, runtime, nodes);
    }

    private static FlowNodeDefinition ParseNode(JToken token, int index)
    {
        if (token is not JObject node) throw new FormatException($"node {index}: must be an object");
        var type = node["type"] is JValue { Type: JTokenType.String } t ? (string)t! : null;
        if (type is null || !FlowNodeDefinition.KnownTypes.Contains(type, StringComparer.Ordinal))
        {
            throw new FormatException($"node {index}: unknown type '{type}' (expected one of {string.Join(", ", FlowNodeDefinition.KnownTypes)})");
        }
        var config = node["config"] switch
        {
            null or { Type: JTokenType.Null } => new JObject(),
            JObject c => c,
            _ => throw new FormatException($"node {index} ({type}): config must be an object"),
        };

        switch (type)
        {
            case FlowNodeDefinition.Play when config["prompt"] is not JValue { Type: JTokenType.String } p || string.IsNullOrWhiteSpace((string?)p):
                throw new FormatException($"node {index} (play): config.prompt must be a non-empty string");
            case FlowNodeDefinition.Wait:
                ReadSeconds(config, index);
                break;
            case FlowNodeDefinition.CallRecording:
                var activity = config["activity"] is JValue { Type: JTokenType.String } a ? (string?)a : null;
                if (!RecordingActionNames.TryParse(activity, out _))
                {
                    throw new FormatException($"node {index} (callRecording): {CallRecordingNode.ActivityLabel} (config.activity) '{activity}' is not one of {string.Join(", ", RecordingActionNames.All)}");
                }
                break;
        }
        return new FlowNodeDefinition(type, config);
    }

    /// <summary>The wait node's duration; shared with the runner so both read it the same way.</summary>
    internal static TimeSpan ReadSeconds(JObject config, int index)
    {
        var seconds = config["seconds"] is JValue { Type: JTokenType.Integer or JTokenType.Float } s
            ? Convert.ToDouble(s.Value, CultureInfo.InvariantCulture)
            : double.NaN;
        if (!(seconds >= 0 && seconds <= FlowNodeDefinition.MaxWaitSeconds))
        {
            throw new FormatException($"node {index} (wait): config.seconds must be a number from 0 to {FlowNodeDefinition.MaxWaitSeconds}");
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
