using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.Control;

namespace Siprec.FlowNode.Nodes;

/// <summary>
/// The Call Recording node (Cognigy Voice Gateway style): evaluates its fields, checks the call's recording
/// state, then per <see cref="FlowRuntime"/> either sends the DESIGN §4.1 INFO through <see cref="ICallControl"/>
/// and updates <c>context.callRecording</c> only on a 200 answer (§4.2), or emits the jambonz verb through
/// <see cref="INodeApi.Output"/>. Errors are logged, written to
/// <c>context.callRecording.lastError</c> and returned as a failed <see cref="NodeResult"/>, never swallowed.
/// </summary>
public sealed class CallRecordingNode
{
    /// <summary>The node's type name in flow definitions.</summary>
    public const string NodeType = "callRecording";

    /// <summary>The server field's key in the node's <c>config</c>.</summary>
    public const string RecordingServerField = "recordingServer";

    /// <summary>The recording ID field's key in the node's <c>config</c>.</summary>
    public const string RecordingIdField = "recordingId";

    /// <summary>The activity field's label in the node's descriptor.</summary>
    public const string ActivityLabel = "Activity";

    /// <summary>The server field's label in the node's descriptor: what a designer sees and searches for.</summary>
    public const string RecordingServerLabel = "Call Recording Server";

    /// <summary>The recording ID field's label in the node's descriptor.</summary>
    public const string RecordingIdLabel = "Call Recording ID";

    // Errors name a field by its label, as the designer sees it in the node editor, and by its key, as it is in the
    // flow JSON and the manifest.
    private const string ActivityName = ActivityLabel + " (" + Descriptors.CallRecordingNodeDescriptor.ActivityField + ")";
    private const string RecordingServerName = RecordingServerLabel + " (" + RecordingServerField + ")";
    private const string RecordingIdName = RecordingIdLabel + " (" + RecordingIdField + ")";

    private readonly CallRecordingNodeOptions _options;
    private readonly CognigyScript _script;
    private readonly ILogger _logger;

    /// <summary>Creates the node with its settings and loggers.</summary>
    public CallRecordingNode(CallRecordingNodeOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _logger = loggerFactory.CreateLogger<CallRecordingNode>();
        _script = new CognigyScript(loggerFactory.CreateLogger<CognigyScript>(), options.Script);
    }

    /// <summary>
    /// Runs the node once on <paramref name="call"/> in the <see cref="FlowRuntime.Gateway"/> runtime (the INFO).
    /// Never throws for configuration, script, state or answer problems (they make a failed result); cancellation
    /// of <paramref name="ct"/> makes a cancelled result.
    /// </summary>
    public Task<NodeResult> ExecuteAsync(CallRecordingNodeConfig config, ICallControl call, FlowInputs inputs, CancellationToken ct) =>
        ExecuteAsync(config, call, inputs, FlowRuntime.Gateway, null, ct);

    /// <summary>
    /// Runs the node once. In <see cref="FlowRuntime.Gateway"/> it sends the DESIGN §4.1 INFO on
    /// <paramref name="call"/> and changes the state only on a 200; in <see cref="FlowRuntime.VoiceGateway2"/> it emits
    /// the jambonz <c>config.record</c> verb through <paramref name="api"/> (required there) and changes the state at
    /// once. Script warnings and errors also go to <paramref name="api"/>'s log when given. Never throws for
    /// configuration, script, state or answer problems; cancellation of <paramref name="ct"/> makes a cancelled result.
    /// </summary>
    public async Task<NodeResult> ExecuteAsync(CallRecordingNodeConfig config, ICallControl call, FlowInputs inputs,
        FlowRuntime runtime, INodeApi? api, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(inputs);
        var run = new Run(inputs, call, api);

        if (!RecordingActionNames.TryParse(config.Activity, out var action))
        {
            return Fail(run, config.Activity,
                $"{ActivityName}: unknown value '{RecordingErrorTexts.Printable(config.Activity)}' (expected one of {string.Join(", ", RecordingActionNames.All)})");
        }
        var activity = RecordingActionNames.ToName(action);
        var state = CallRecordingState.Read(inputs.Context);
        var stateError = CheckState(action, state);
        if (stateError is not null) return Fail(run, activity, stateError);

        var request = new RecordingControlRequest
        {
            Action = action,
            CallSid = call.CallSid,
            AccountSid = inputs.AccountSid,
            ApplicationSid = inputs.ApplicationSid,
        };
        if (action == RecordingAction.Start)
        {
            if (!TryBuildStart(config, run, ref request, out var error)) return Fail(run, activity, error!);
        }
        if (runtime == FlowRuntime.VoiceGateway2) return EmitVerb(run, activity, request);

        InfoRequestContent info;
        try
        {
            info = InfoRequestMapping.ToInfo(request);
        }
        catch (ArgumentException ex)
        {
            return Fail(run, activity, ex.Message);
        }

        InfoAnswer answer;
        try
        {
            answer = await call.SendInfoAsync(info, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new NodeResult(NodeOutcome.Cancelled, $"{activity} cancelled before the INFO was answered") { Info = info };
        }
#pragma warning disable CA1031 // any failure to deliver the INFO is reported to the designer, not thrown into the flow
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(run, activity, $"{activity}: sending the INFO failed: {ex.Message}") with { Info = info };
        }

        if (answer.StatusCode != 200)
        {
            return Fail(run, activity, DescribeRefusal(activity, answer)) with { Info = info, Answer = answer };
        }

        var newState = Succeed(run, request);
        Log.RecordingNodeSucceeded(_logger, activity, call.CallSid, answer.StatusCode, newState);
        return new NodeResult(NodeOutcome.Succeeded, null) { Info = info, Answer = answer };
    }

    // Voice Gateway has no answer to wait for: the verb is applied by jambonz, as Cognigy's own node assumes.
    private NodeResult EmitVerb(Run run, string activity, RecordingControlRequest request)
    {
        if (run.Api is null)
        {
            return Fail(run, activity, $"{activity}: the {FlowRuntimeNames.VoiceGateway2} runtime outputs a jambonz verb through the node api, and the host gave none");
        }
        var output = VoiceGatewayOutput.Wrap(JambonzRecordVerb.ToVerb(request));
        try
        {
            run.Api.Output((JObject)output.DeepClone());
        }
#pragma warning disable CA1031 // a host api that throws is reported as the node's failure, never thrown into the flow
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(run, activity, $"{activity}: api.output failed: {ex.Message}") with { Output = output };
        }
        var newState = Succeed(run, request);
        Log.RecordingVerbEmitted(_logger, activity, run.Call.CallSid, newState);
        return new NodeResult(NodeOutcome.Succeeded, null) { Output = output };
    }

    private static string Succeed(Run run, RecordingControlRequest request)
    {
        var newState = request.Action switch
        {
            RecordingAction.Start or RecordingAction.Resume => CallRecordingState.On,
            RecordingAction.Pause => CallRecordingState.Paused,
            _ => CallRecordingState.Off,
        };
        CallRecordingState.WriteSuccess(run.Inputs.Context, newState, request.RecordingId, request.Action is RecordingAction.Start or RecordingAction.Stop);
        return newState;
    }

    private bool TryBuildStart(CallRecordingNodeConfig config, Run run, ref RecordingControlRequest request, out string? error)
    {
        var expression = config.RecordingServer ?? string.Empty;
        var server = Evaluate(expression, run, RecordingServerName);
        if (!server.Succeeded)
        {
            error = server.Error;
            return false;
        }
        if (ContainsLineBreak(server.Value))
        {
            error = InjectionError(RecordingServerName, server.Value);
            return false;
        }
        if (string.IsNullOrWhiteSpace(server.Value))
        {
            var why = server.Problem ?? (expression.Trim().Length == 0 ? "the field is empty" : "it evaluated to an empty string");
            // The gateway's text for the same mistake (DESIGN §4.2) comes first: it is what designers search for.
            error = $"{RecordingErrorTexts.MissingSrsUrl}: {RecordingServerName} is required for {RecordingActionNames.Start}: '{RecordingErrorTexts.Printable(expression)}' gave no SIP URI ({why})";
            return false;
        }
        if (!SrsUriList.TryParse(server.Value, _options.MaxRecorders, out var uris, out var listError))
        {
            error = $"{RecordingServerName}: {listError!.Text}";
            return false;
        }

        var id = Evaluate(config.RecordingId, run, RecordingIdName);
        if (!id.Succeeded)
        {
            error = id.Error;
            return false;
        }
        if (ContainsLineBreak(id.Value))
        {
            error = InjectionError(RecordingIdName, id.Value);
            return false;
        }
        if (id.Value.Length > 0 && !InfoRequestMapping.IsSafeHeaderValue(id.Value))
        {
            error = $"{RecordingIdName} contains a control character: {RecordingErrorTexts.Printable(id.Value)}";
            return false;
        }
        if (string.IsNullOrWhiteSpace(id.Value) && id.Problem is not null) Log.RecordingIdOmitted(_logger, run.Call.CallSid, id.Problem);

        request = request with
        {
            SrsUris = uris,
            RecordingId = string.IsNullOrWhiteSpace(id.Value) ? null : id.Value.Trim(),
        };
        error = null;
        return true;
    }

    private static string? CheckState(RecordingAction action, string state) => action switch
    {
        RecordingAction.Start when state != CallRecordingState.Off => RecordingErrorTexts.AlreadyStarted,
        RecordingAction.Stop when state == CallRecordingState.Off => RecordingErrorTexts.CannotStop(state),
        RecordingAction.Pause when state != CallRecordingState.On => RecordingErrorTexts.CannotPause(state),
        RecordingAction.Resume when state != CallRecordingState.Paused => RecordingErrorTexts.CannotResume(state),
        _ => null,
    };

    private static string DescribeRefusal(string activity, InfoAnswer answer)
    {
        var text = $"{activity} refused: INFO answered {answer.StatusCode} {answer.ReasonPhrase}";
        var warning = WarningText(answer.Warning);
        return warning is null ? text : $"{text}: {warning}";
    }

    // RFC 3261 §20.43: warn-code SP warn-agent SP quoted warn-text; the quoted text is what a designer needs.
    private static string? WarningText(string? warning)
    {
        if (string.IsNullOrWhiteSpace(warning)) return null;
        var first = warning.IndexOf('"');
        var last = warning.LastIndexOf('"');
        var text = first >= 0 && last > first ? warning[(first + 1)..last] : warning.Trim();
        return RecordingErrorTexts.Printable(text);
    }

    private static bool ContainsLineBreak(string value) => value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static string InjectionError(string field, string value) =>
        $"{field} evaluated to a value containing CR or LF, refused to prevent SIP header injection: {RecordingErrorTexts.Printable(value)}";

    // Script warnings reach the flow's log too (Cognigy logs them there); the error, if any, is reported by Fail.
    private CognigyScriptResult Evaluate(string? text, Run run, string field)
    {
        var result = _script.Evaluate(text, run.Inputs, field);
        foreach (var warning in result.Warnings) run.Api?.Log(LogLevel.Warning, warning);
        return result;
    }

    private NodeResult Fail(Run run, string activity, string error)
    {
        CallRecordingState.WriteError(run.Inputs.Context, error);
        Log.RecordingNodeFailed(_logger, RecordingErrorTexts.Printable(activity), run.Call.CallSid, error);
        run.Api?.Log(LogLevel.Error, error);
        return NodeResult.Failure(error);
    }

    private sealed record Run(FlowInputs Inputs, ICallControl Call, INodeApi? Api);
}
