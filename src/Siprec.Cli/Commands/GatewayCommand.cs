using System.CommandLine;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Cli.Hosting;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;
using Siprec.Sip.Location;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec gateway [--config FILE] [--sip udp:HOST:PORT] [--http HOST:PORT] [--flow FILE] [--prompts DIR] [--context JSON] [--dns HOST:PORT]…</c>
/// (DESIGN §4.6): answers calls as the bot endpoint, runs the flow on each, serves recording INFO (DESIGN §4.2) and,
/// with an HTTP address, the REST API (§4.4) until Ctrl+C. Options given on the command line override the file.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create() => Create(out _);

    /// <summary>Reads <c>siprec gateway</c> arguments into options without starting anything (what the action does first).</summary>
    /// <returns>The options, or null and the message naming the bad option or key.</returns>
    internal static (GatewayOptions? Options, string? Error) ParseOptions(params string[] args)
    {
        var command = Create(out var arguments);
        var parse = new RootCommand("siprec") { command }.Parse(["gateway", .. args]);
        if (parse.Errors.Count > 0) return (null, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return TryBuild(parse, arguments, out var options, out var error) ? (options, null) : (null, error);
    }

    private static Command Create(out Arguments arguments)
    {
        var config = new Option<string?>("--config") { Description = "gateway configuration JSON (accounts, trusted peers, connectors, limits, callbacks, dns); see samples/config/gateway.json" };
        var sip = new Option<string>("--sip") { Description = "SIP listen address for calls and INFO (udp:HOST:PORT)", DefaultValueFactory = _ => "udp:127.0.0.1:5060" };
        var http = new Option<string?>("--http") { Description = "REST API listen address (HOST:PORT); none: no REST API" };
        var flow = new Option<string?>("--flow") { Description = "flow JSON run on every answered call (none: INFO-driven only)" };
        var prompts = new Option<string>("--prompts") { Description = "folder of prompt-<name>.wav files", DefaultValueFactory = _ => SamplePaths.Audio };
        var context = new Option<string>("--context") { Description = "initial flow context as a JSON object, e.g. {\"srsList\":[\"sip:127.0.0.1:5080\"]}", DefaultValueFactory = _ => "{}" };
        var dns = new Option<string[]>("--dns") { Description = "DNS server for SRS host names (HOST:PORT, repeatable; default: /etc/resolv.conf)", AllowMultipleArgumentsPerToken = false };
        var verbose = new Option<bool>("--verbose") { Description = "log every SIP and recording event" };
        var command = new Command("gateway", "run the recording gateway (SBC side): calls, flows, recording INFO, REST API, SIPREC client")
        {
            config, sip, http, flow, prompts, context, dns, verbose,
        };
        var args = new Arguments(config, sip, http, flow, prompts, context, dns);
        arguments = args;
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryBuild(parse, args, out var options, out var buildError))
            {
                await Console.Error.WriteLineAsync(buildError);
                return 2;
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

    // Config file first, then every option given on the command line overrides it.
    private static bool TryBuild(ParseResult parse, Arguments a, out GatewayOptions options, out string? error)
    {
        error = null;
        options = new GatewayOptions { PromptDirectory = parse.GetValue(a.Prompts)! };
        var configPath = parse.GetValue(a.Config);
        if (configPath is not null)
        {
            try
            {
                options = GatewayConfigurationFile.Load(configPath);
            }
            catch (GatewayConfigurationException ex)
            {
                error = ex.Message;
                return false;
            }
        }
        if (configPath is null || parse.GetResult(a.Sip) is { Implicit: false })
        {
            if (!ListenAddress.TryParse(parse.GetValue(a.Sip)!, "--sip", out var endPoint, out var sipError))
            {
                error = sipError;
                return false;
            }
            options = options with { SipEndPoint = endPoint, MediaAddress = endPoint.Address };
        }
        if (parse.GetValue(a.Http) is { } httpText)
        {
            if (httpText.Contains("://", StringComparison.Ordinal) || !System.Net.IPEndPoint.TryParse(httpText, out var httpEndPoint) || !httpText.Contains(':'))
            {
                error = $"--http '{httpText}': expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080";
                return false;
            }
            options = options with { HttpEndPoint = httpEndPoint };
        }
        if (configPath is null || parse.GetResult(a.Prompts) is { Implicit: false })
        {
            options = options with { PromptDirectory = parse.GetValue(a.Prompts)! };
        }
        try
        {
            options = options with { FlowContext = JObject.Parse(parse.GetValue(a.Context)!) };
        }
        catch (JsonReaderException ex)
        {
            error = $"--context is not a JSON object: {ex.Message}";
            return false;
        }
        if (parse.GetValue(a.Flow) is { } flowPath)
        {
            if (!File.Exists(flowPath))
            {
                error = $"--flow '{flowPath}': file not found";
                return false;
            }
            options = options with { FlowPath = flowPath };
        }
        if (parse.GetValue(a.Dns) is { Length: > 0 } dnsTexts)
        {
            var servers = new List<System.Net.IPEndPoint>();
            foreach (var text in dnsTexts)
            {
                if (!DnsOptions.TryParseServer(text, out var server))
                {
                    error = $"--dns '{text}': expected HOST:PORT with an IP address, e.g. 127.0.0.1:5353";
                    return false;
                }
                servers.Add(server!);
            }
            options = options with { Dns = options.Dns with { Servers = servers } };
        }
        return true;
    }

    private sealed record Arguments(Option<string?> Config, Option<string> Sip, Option<string?> Http, Option<string?> Flow, Option<string> Prompts,
                                    Option<string> Context, Option<string[]> Dns);
}
