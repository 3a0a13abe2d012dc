using System.Text;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.FlowNode.Nodes;
using Siprec.FlowNode.Flows;
using Siprec.FlowNode.Testing;
using Siprec.Sip.Messages;

namespace Siprec.Cli.Commands;

/// <summary>
/// Runs the Call Recording node once through <see cref="NodeTestHost"/> against a <see cref="NodeDryRunCall"/> and prints
/// what it would send: the INFO as wire text (start line, the node's headers, Content-Length, body; the dialog adds
/// Via/From/To/Call-ID/CSeq) or, for Voice Gateway, the <c>api.output</c> JSON. Errors go to the error writer.
/// </summary>
internal static class NodeDryRun
{
    /// <summary>The Request-URI printed on the INFO; the real one is the call's remote target.</summary>
    public const string RequestUri = "sip:bot@gateway.invalid";

    /// <summary>0 when the node succeeded, 1 when it failed (the error is printed), 2 for an unusable option (one line
    /// naming it, e.g. an unknown activity with the valid ones).</summary>
    public static async Task<int> RunAsync(NodeDryRunSettings settings, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!RecordingActionNames.TryParse(settings.Activity, out _))
        {
            await error.WriteLineAsync($"--activity '{RecordingErrorTexts.Printable(settings.Activity)}': expected one of {string.Join(", ", RecordingActionNames.All)}");
            return 2;
        }
        if (!FlowRuntimeNames.TryParse(settings.Runtime, out var runtime))
        {
            await error.WriteLineAsync($"--runtime '{settings.Runtime}': expected gateway or vg2 (voiceGateway2)");
            return 2;
        }
        if (!TryReadObject(settings.Context, "--context", error, out var context)
            || !TryReadObject(settings.Input, "--input", error, out var input)
            || !TryReadObject(settings.Profile, "--profile", error, out var profile))
        {
            return 2;
        }

        var call = new NodeDryRunCall(settings.CallSid);
        var host = new NodeTestHost { Runtime = runtime };
        var config = new CallRecordingNodeConfig { Activity = settings.Activity, RecordingServer = settings.Server, RecordingId = settings.RecordingId };
        NodeTestResult result;
        try
        {
            result = await host.RunCallRecordingAsync(config, call, input, context, profile, ct);
        }
        catch (FormatException ex)
        {
            // The flow loader's refusal of a node config is a usage error: one line, never a stack trace.
            await error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }

        foreach (var line in result.ApiLogs.Where(l => l.Level == LogLevel.Warning))
        {
            await error.WriteLineAsync("warning: " + line.Message);
        }
        if (!result.Result.Succeeded)
        {
            await error.WriteLineAsync($"error: {result.Error}");
            return 1;
        }
        if (runtime == FlowRuntime.VoiceGateway2)
        {
            await output.WriteLineAsync(result.Outputs[^1].ToString(Formatting.Indented));
        }
        else
        {
            await output.WriteAsync(FormatInfo(call.Sent[^1]));
        }
        await error.WriteLineAsync($"context.callRecording: {result.Context["callRecording"]?.ToString(Formatting.None)}");
        return 0;
    }

    /// <summary>The INFO as it goes on the wire (CRLF line ends), without the headers the call's dialog adds.</summary>
    public static string FormatInfo(InfoRequestContent info)
    {
        ArgumentNullException.ThrowIfNull(info);
        SipMessage request = new SipRequest(SipMethods.Info, SipUri.Parse(RequestUri));
        foreach (var (name, value) in info.Headers) request = request.AddHeader(name, value);
        if (info.Body is not null) request = request.WithBody(info.ContentType ?? InfoRequestMapping.JsonContentType, Encoding.UTF8.GetBytes(info.Body));
        return Encoding.UTF8.GetString(SipSerializer.Serialize(request));
    }

    private static bool TryReadObject(string? text, string option, TextWriter error, out JObject? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
            if (JToken.ReadFrom(reader) is JObject obj && !reader.Read())
            {
                value = obj;
                return true;
            }
            error.WriteLine($"{option} must be one JSON object, got: {text}");
        }
        catch (JsonException ex)
        {
            error.WriteLine($"{option} is not valid JSON ({ex.Message}): {text}");
        }
        return false;
    }
}
