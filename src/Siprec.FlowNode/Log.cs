using Microsoft.Extensions.Logging;

namespace Siprec.FlowNode;

/// <summary>Source-generated log messages of the flow node area (event ids 4000-4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "CognigyScript in {Field} gave no value: {Expression}: {Reason}")]
    public static partial void ScriptWarning(ILogger logger, string field, string expression, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "CognigyScript in {Field} failed: {Expression}: {Reason}")]
    public static partial void ScriptFailed(ILogger logger, string field, string expression, string reason);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Call Recording node {Activity} failed on call {CallSid}: {Error}")]
    public static partial void RecordingNodeFailed(ILogger logger, string activity, string callSid, string error);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Call Recording node {Activity} on call {CallSid}: INFO answered {StatusCode}, state {State}")]
    public static partial void RecordingNodeSucceeded(ILogger logger, string activity, string callSid, int statusCode, string state);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Call Recording node on call {CallSid}: recording ID omitted: {Reason}")]
    public static partial void RecordingIdOmitted(ILogger logger, string callSid, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Call Recording node {Activity} on call {CallSid}: emitted the jambonz config.record verb, state {State}")]
    public static partial void RecordingVerbEmitted(ILogger logger, string activity, string callSid, string state);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Flow {Flow} starts on call {CallSid} with {NodeCount} nodes")]
    public static partial void FlowStarted(ILogger logger, string flow, string callSid, int nodeCount);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Error, Message = "Flow {Flow} node {Index} ({Type}) failed, continuing: {Error}")]
    public static partial void FlowNodeFailed(ILogger logger, string flow, int index, string type, string error);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Information, Message = "Flow {Flow} on call {CallSid} ended after {Executed} nodes")]
    public static partial void FlowEnded(ILogger logger, string flow, string callSid, int executed);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Flow {Flow} cancelled at node {Index} ({Type})")]
    public static partial void FlowCancelled(ILogger logger, string flow, int index, string type);
}
