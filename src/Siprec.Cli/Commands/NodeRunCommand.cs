using System.CommandLine;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec node run --activity … [--server '…'] [--recording-id '…'] [--context JSON] [--input JSON] [--profile JSON]
/// [--runtime gateway|vg2]</c>: evaluates the node like a flow would and prints the INFO or verb it would send, or the
/// error (exit 1). Exit 2 for unusable options.
/// </summary>
internal static class NodeRunCommand
{
    public static Command Create()
    {
        var activity = new Option<string>("--activity") { Description = "startCallRecording | stopCallRecording | pauseCallRecording | resumeCallRecording", Required = true };
        var server = new Option<string?>("--server") { Description = "Call Recording Server field (CognigyScript), e.g. '{{ cc.srs.join(\",\") }}'" };
        var recordingId = new Option<string?>("--recording-id") { Description = "Call Recording ID field (CognigyScript)" };
        var context = new Option<string?>("--context") { Description = "flow context as a JSON object (cc); put {\"callRecording\":{\"state\":\"on\"}} in it to try stop/pause" };
        var input = new Option<string?>("--input") { Description = "input as a JSON object (ci)" };
        var profile = new Option<string?>("--profile") { Description = "contact profile as a JSON object (cp)" };
        var runtime = new Option<string>("--runtime") { Description = "gateway (prints the SIP INFO) or vg2 (prints the Voice Gateway api.output with the jambonz verb)", DefaultValueFactory = _ => "gateway" };
        var callSid = new Option<string>("--call-sid") { Description = "the call SID sent as X-Call-Sid", DefaultValueFactory = _ => NodeDryRunSettings.DefaultCallSid };
        var command = new Command("run", "dry-run the Call Recording node: print the INFO (or jambonz verb) it would send, or its error")
        {
            activity, server, recordingId, context, input, profile, runtime, callSid,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new NodeDryRunSettings(
                parse.GetValue(activity)!,
                parse.GetValue(server),
                parse.GetValue(recordingId),
                parse.GetValue(context),
                parse.GetValue(input),
                parse.GetValue(profile),
                parse.GetValue(runtime)!,
                parse.GetValue(callSid)!);
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return await NodeDryRun.RunAsync(settings, output, error, cancellationToken);
        });
        return command;
    }
}
