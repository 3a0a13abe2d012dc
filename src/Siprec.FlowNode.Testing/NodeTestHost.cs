using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Testing;

/// <summary>
/// Runs one node exactly as a flow would, for a designer's unit tests: give it a config, the input, context
/// and profile, and a (Moq) <see cref="ICallControl"/>; get back the result, the final context, the logs and, in the
/// <see cref="FlowRuntime.VoiceGateway2"/> runtime, what the node passed to <c>api.output</c>.
/// </summary>
/// <example>
/// <code>
/// var call = new Mock&lt;ICallControl&gt;();
/// call.Setup(c =&gt; c.CallSid).Returns("CA1");
/// call.Setup(c =&gt; c.SendInfoAsync(It.IsAny&lt;InfoRequestContent&gt;(), It.IsAny&lt;CancellationToken&gt;())).ReturnsAsync(new InfoAnswer(200, "OK", null));
/// var result = await new NodeTestHost().RunAsync("callRecording",
///     JObject.Parse("{\"activity\":\"startCallRecording\",\"recordingServer\":\"{{ cc.srs }}\"}"),
///     call.Object, context: JObject.Parse("{\"srs\":\"sip:rec@127.0.0.1\"}"));
/// </code>
/// </example>
public sealed class NodeTestHost
{
    /// <summary>Sent as <c>X-Account-Sid</c>; null omits it.</summary>
    public string? AccountSid { get; init; }

    /// <summary>Sent as <c>X-Application-Sid</c>; null omits it.</summary>
    public string? ApplicationSid { get; init; }

    /// <summary>The clock for wait nodes; a fake one makes waits instant in tests. Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Call Recording node settings (recorder limit, script sandbox).</summary>
    public CallRecordingNodeOptions RecordingOptions { get; init; } = new();

    /// <summary>The runtime the node runs in: <see cref="FlowRuntime.Gateway"/> (INFO, the default) or
    /// <see cref="FlowRuntime.VoiceGateway2"/> (jambonz verb through the api; see <see cref="NodeTestResult.Outputs"/>).</summary>
    public FlowRuntime Runtime { get; init; } = FlowRuntime.Gateway;

    /// <summary>An api (e.g. a Moq <see cref="INodeApi"/>) that also receives the node's outputs and log lines; they are
    /// always captured in the result, so null is fine.</summary>
    public INodeApi? Api { get; init; }

    /// <summary>Where log lines also go (e.g. the test output); they are always captured in the result.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Runs a node of <paramref name="nodeType"/> with <paramref name="config"/>. The passed objects are copied,
    /// never changed; the context after the run is in the result.
    /// </summary>
    /// <exception cref="FormatException">The node type is unknown or the config invalid, with the flow loader's message.</exception>
    public async Task<NodeTestResult> RunAsync(string nodeType, JObject? config, ICallControl call,
        JObject? input = null, JObject? context = null, JObject? profile = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nodeType);
        ArgumentNullException.ThrowIfNull(call);
        var flow = new JObject
        {
            ["name"] = "node-test",
            ["runtime"] = FlowRuntimeNames.ToName(Runtime),
            ["nodes"] = new JArray(new JObject { ["type"] = nodeType, ["config"] = config?.DeepClone() ?? new JObject() }),
        };
        var definition = FlowDefinition.Parse(flow.ToString());
        var inputs = new FlowInputs
        {
            Input = (JObject?)input?.DeepClone() ?? new JObject(),
            Context = (JObject?)context?.DeepClone() ?? new JObject(),
            Profile = (JObject?)profile?.DeepClone() ?? new JObject(),
            AccountSid = AccountSid,
            ApplicationSid = ApplicationSid,
        };
        var logs = new CapturingLoggerFactory(LoggerFactory);
        var runner = new FlowRunner(Time, logs, RecordingOptions);
        var api = new CapturingNodeApi(Api);
        var result = await runner.ExecuteNodeAsync(definition.Nodes[0], 0, call, inputs, definition.Runtime, api, ct).ConfigureAwait(false);
        return new NodeTestResult(result, inputs.Context, logs.Entries) { Outputs = api.Outputs, ApiLogs = api.Logs };
    }

    /// <summary>Runs the Call Recording node with typed fields; see <see cref="RunAsync"/>.</summary>
    /// <exception cref="FormatException">The activity is not one of the four.</exception>
    public Task<NodeTestResult> RunCallRecordingAsync(CallRecordingNodeConfig config, ICallControl call,
        JObject? input = null, JObject? context = null, JObject? profile = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = new JObject { ["activity"] = config.Activity };
        if (config.RecordingServer is not null) json["recordingServer"] = config.RecordingServer;
        if (config.RecordingId is not null) json["recordingId"] = config.RecordingId;
        return RunAsync(CallRecordingNode.NodeType, json, call, input, context, profile, ct);
    }
}
