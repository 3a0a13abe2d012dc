using System.CommandLine;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Cli.Hosting;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec gateway [--config FILE] [--sip udp:HOST:PORT] [--http HOST:PORT] [--flow FILE] [--prompts DIR] [--context JSON]</c>
/// (DESIGN §4.6): answers calls as the bot endpoint, runs the flow on each, serves recording INFO (DESIGN §4.2) and,
/// with an HTTP address, the REST API (§4.4) until Ctrl+C. Options given on the command line override the file.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "gateway configuration JSON (accounts, trusted peers, connectors, limits, callbacks); see samples/config/gateway.json" };
        var sip = new Option<string>("--sip") { Description = "SIP listen address for calls and INFO (udp:HOST:PORT)", DefaultValueFactory = _ => "udp:127.0.0.1:5060" };
        var http = new Option<string?>("--http") { Description = "REST API listen address (HOST:PORT); none: no REST API" };
        var flow = new Option<string?>("--flow") { Description = "flow JSON run on every answered call (none: INFO-driven only)" };
        var prompts = new Option<string>("--prompts") { Description = "folder of prompt-<name>.wav files", DefaultValueFactory = _ => SamplePaths.Audio };
        var context = new Option<string>("--context") { Description = "initial flow context as a JSON object, e.g. {\"srsList\":[\"sip:127.0.0.1:5080\"]}", DefaultValueFactory = _ => "{}" };
        var verbose = new Option<bool>("--verbose") { Description = "log every SIP and recording event" };
        var command = new Command("gateway", "run the recording gateway (SBC side): calls, flows, recording INFO, REST API, SIPREC client")
        {
            config, sip, http, flow, prompts, context, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new GatewayOptions { PromptDirectory = parse.GetValue(prompts)! };
            var configPath = parse.GetValue(config);
            if (configPath is not null)
            {
                try
                {
                    options = GatewayConfigurationFile.Load(configPath);
                }
                catch (GatewayConfigurationException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message);
                    return 2;
                }
            }
            if (configPath is null || parse.GetResult(sip) is { Implicit: false })
            {
                if (!ListenAddress.TryParse(parse.GetValue(sip)!, "--sip", out var endPoint, out var error))
                {
                    await Console.Error.WriteLineAsync(error);
                    return 2;
                }
                options = options with { SipEndPoint = endPoint, MediaAddress = endPoint.Address };
            }
            if (parse.GetValue(http) is { } httpText)
            {
                if (httpText.Contains("://", StringComparison.Ordinal) || !System.Net.IPEndPoint.TryParse(httpText, out var httpEndPoint) || !httpText.Contains(':'))
                {
                    await Console.Error.WriteLineAsync($"--http '{httpText}': expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080");
                    return 2;
                }
                options = options with { HttpEndPoint = httpEndPoint };
            }
            if (configPath is null || parse.GetResult(prompts) is { Implicit: false })
            {
                options = options with { PromptDirectory = parse.GetValue(prompts)! };
            }
            try
            {
                options = options with { FlowContext = JObject.Parse(parse.GetValue(context)!) };
            }
            catch (JsonReaderException ex)
            {
                await Console.Error.WriteLineAsync($"--context is not a JSON object: {ex.Message}");
                return 2;
            }
            if (parse.GetValue(flow) is { } flowPath)
            {
                if (!File.Exists(flowPath))
                {
                    await Console.Error.WriteLineAsync($"--flow '{flowPath}': file not found");
                    return 2;
                }
                options = options with { FlowPath = flowPath };
            }
            using var loggerFactory = CliLogging.Create(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            await using var gateway = new RecordingGateway(options, TimeProvider.System, loggerFactory);
            gateway.CallEnded += c => Console.WriteLine($"call {c.CallSid} ended: {c.RecorderOutcomes.Count} recorder outcome(s)");
            try
            {
                await gateway.StartAsync(cancellationToken);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
            var rest = gateway.HttpEndPoint is { } bound ? $"; REST on http://{bound}" : "";
            Console.WriteLine($"gateway listening on sip:{gateway.SipEndPoint} (SRC on {gateway.SrcSipEndPoint}){rest}; Ctrl+C stops");
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
