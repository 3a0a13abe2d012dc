using System.CommandLine;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Cli.Hosting;
using Siprec.Gateway;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec gateway [--sip udp:HOST:PORT] [--flow FILE] [--prompts DIR] [--context JSON]</c>: answers calls as the bot
/// endpoint, runs the flow on each, and serves recording INFO (DESIGN §4.2) until Ctrl+C.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var sip = new Option<string>("--sip") { Description = "SIP listen address for calls and INFO (udp:HOST:PORT)", DefaultValueFactory = _ => "udp:127.0.0.1:5060" };
        var flow = new Option<string?>("--flow") { Description = "flow JSON run on every answered call (none: INFO-driven only)" };
        var prompts = new Option<string>("--prompts") { Description = "folder of prompt-<name>.wav files", DefaultValueFactory = _ => SamplePaths.Audio };
        var context = new Option<string>("--context") { Description = "initial flow context as a JSON object, e.g. {\"srsList\":[\"sip:127.0.0.1:5080\"]}", DefaultValueFactory = _ => "{}" };
        var verbose = new Option<bool>("--verbose") { Description = "log every SIP and recording event" };
        var command = new Command("gateway", "run the recording gateway (SBC side): calls, flows, recording INFO, SIPREC client")
        {
            sip, flow, prompts, context, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ListenAddress.TryParse(parse.GetValue(sip)!, "--sip", out var endPoint, out var error))
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }
            JObject flowContext;
            try
            {
                flowContext = JObject.Parse(parse.GetValue(context)!);
            }
            catch (JsonReaderException ex)
            {
                await Console.Error.WriteLineAsync($"--context is not a JSON object: {ex.Message}");
                return 2;
            }
            var flowPath = parse.GetValue(flow);
            if (flowPath is not null && !File.Exists(flowPath))
            {
                await Console.Error.WriteLineAsync($"--flow '{flowPath}': file not found");
                return 2;
            }
            using var loggerFactory = CliLogging.Create(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            var options = new GatewayOptions
            {
                SipEndPoint = endPoint,
                MediaAddress = endPoint.Address,
                FlowPath = flowPath,
                PromptDirectory = parse.GetValue(prompts)!,
                FlowContext = flowContext,
            };
            await using var gateway = new RecordingGateway(options, TimeProvider.System, loggerFactory);
            gateway.CallEnded += c => Console.WriteLine($"call {c.CallSid} ended: {c.RecorderOutcomes.Count} recorder outcome(s)");
            await gateway.StartAsync(cancellationToken);
            Console.WriteLine($"gateway listening on sip:{gateway.SipEndPoint} (SRC on {gateway.SrcSipEndPoint}); Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }
}
