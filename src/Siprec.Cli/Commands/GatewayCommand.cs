using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Cli.Hosting;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;
using Siprec.Media.Rtp;
using Siprec.Gateway.Twiml;
using Siprec.Sip.Location;
using Siprec.Sip.Transport;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec gateway [--config FILE] [--sip udp|tcp|tls:HOST:PORT]… [--cert FILE [--cert-password PASSWORD]] [--http HOST:PORT]
/// [--flow FILE | --twiml FILE [--dialect twilio|telnyx]] [--prompts DIR] [--context JSON] [--dns HOST:PORT]…
/// [--cluster-redis HOST:PORT --node-id ID --advertise-url URL] [--drain-timeout SECONDS]</c> (DESIGN §4.6, issue 15): answers calls as the bot endpoint on
/// every listen address (UDP, TCP, and TLS for <c>sips:</c>, RFC 3261 §26), runs the flow on each, serves recording INFO
/// (DESIGN §4.2) and, with an HTTP address, the REST API (§4.4) until Ctrl+C (at once) or SIGTERM (drain: see
/// <see cref="Hosting.GatewayShutdown"/>). Options given on the command line override
/// the file. <c>--twiml</c> runs a TwiML (or, with <c>--dialect telnyx</c>, TeXML) document on every call instead of a flow.
/// Bad options exit with code 2 and a message naming the option and the value.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create() => Create(out _);

    /// <summary>Reads <c>siprec gateway</c> arguments into options without starting anything (what the action does first).</summary>
    /// <returns>The options (the caller disposes <see cref="GatewayOptions.TlsCertificate"/>), or null and the message naming the bad option or key.</returns>
    internal static (GatewayOptions? Options, string? Error) ParseOptions(params string[] args)
    {
        var command = Create(out var arguments);
        var parse = new RootCommand("siprec") { command }.Parse(["gateway", .. args]);
        if (parse.Errors.Count > 0) return (null, string.Join("; ", parse.Errors.Select(e => e.Message)));
        return TryBuild(parse, arguments, out var options, out var error) ? (options, null) : (null, error);
    }

    private const string DefaultSip = "udp:127.0.0.1:5060";

    private static Command Create(out Arguments arguments)
    {
        var config = new Option<string?>("--config") { Description = "gateway configuration JSON (accounts, trusted peers, connectors, limits, callbacks, dns); see samples/config/gateway.json" };
        var sip = new Option<string[]>("--sip")
        {
            Description = "SIP listen address for calls and INFO, repeatable: udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT (tls needs --cert)",
            DefaultValueFactory = _ => [DefaultSip],
            AllowMultipleArgumentsPerToken = false,
        };
        var cert = new Option<string?>("--cert") { Description = "TLS server certificate with its private key: a PFX/PKCS#12 file, or one PEM file holding certificate and key" };
        var certPassword = new Option<string?>("--cert-password") { Description = "password of the --cert PFX, or of its encrypted PEM key" };
        var http = new Option<string?>("--http") { Description = "REST API listen address (HOST:PORT); none: no REST API" };
        var flow = new Option<string?>("--flow") { Description = "flow JSON run on every answered call (none: INFO-driven only)" };
        var twiml = new Option<string?>("--twiml") { Description = "TwiML/TeXML document run on every answered call instead of a flow (see samples/twiml)" };
        var dialect = new Option<string?>("--dialect") { Description = "how --twiml is read: twilio (TwiML, default; <Start><Siprec> goes on at once) or telnyx (TeXML; <Start><Siprec> holds the next verb until the session stops)" };
        var prompts = new Option<string>("--prompts") { Description = "folder of prompt-<name>.wav files", DefaultValueFactory = _ => SamplePaths.Audio };
        var context = new Option<string>("--context") { Description = "initial flow context as a JSON object, e.g. {\"srsList\":[\"sip:127.0.0.1:5080\"]}", DefaultValueFactory = _ => "{}" };
        var dns = new Option<string[]>("--dns") { Description = "DNS server for SRS host names (HOST:PORT, repeatable; default: /etc/resolv.conf)", AllowMultipleArgumentsPerToken = false };
        var verbose = new Option<bool>("--verbose") { Description = "log every SIP and recording event" };
        var cluster = ClusterArguments.Create();
        var rtpPorts = new Option<string?>("--rtp-ports") { Description = "UDP ports for all media sockets, LO-HI (e.g. 20000-29999; RTP even, RTCP odd); overrides media.portRange; default: the system's ephemeral range" };
        var command = new Command("gateway", "run the recording gateway (SBC side): calls, flows, recording INFO, REST API, SIPREC client")
        {
            config, sip, cert, certPassword, http, flow, twiml, dialect, prompts, context, dns, verbose, rtpPorts, cluster.Redis, cluster.NodeId, cluster.AdvertiseUrl, cluster.DrainTimeout,
        };
        var args = new Arguments(config, sip, cert, certPassword, http, flow, prompts, context, dns, twiml, dialect, rtpPorts, cluster);
        args.Media.AddTo(command);
        arguments = args;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var console = parse.InvocationConfiguration.Output;
            if (!TryBuild(parse, args, out var options, out var buildError))
            {
                await error.WriteLineAsync(buildError);
                return 2;
            }
            using var certificate = options.TlsCertificate;
            using var loggerFactory = CliLogging.Create(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            await using var gateway = new RecordingGateway(options, TimeProvider.System, loggerFactory);
            gateway.CallEnded += c => console.WriteLine($"call {c.CallSid} ended: {c.RecorderOutcomes.Count} recorder outcome(s)");
            try
            {
                await gateway.StartAsync(cancellationToken);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"gateway: {ex.Message}");
                return 2;
            }
            catch (SocketException ex)
            {
                await error.WriteLineAsync($"--sip {string.Join(", ", Listeners(options))}: cannot listen ({ex.SocketErrorCode}: {ex.Message})");
                return 1;
            }
            foreach (var bound in gateway.ListenEndPoints)
                await console.WriteLineAsync($"gateway listening on {bound} ({bound.ToUri("bot")})");
            var rest = gateway.HttpEndPoint is { } http ? $"; REST on http://{http}" : "";
            await console.WriteLineAsync($"SRC on udp:{gateway.SrcSipEndPoint}{rest}; Ctrl+C stops, SIGTERM drains");
            await GatewayShutdown.RunUntilStoppedAsync(gateway, options.Cluster.DrainTimeout, console, cancellationToken);
            return 0;
        });
        return command;
    }

    // Config file first, then every option given on the command line overrides it; on an error a loaded certificate is disposed.
    private static bool TryBuild(ParseResult parse, Arguments a, out GatewayOptions options, out string? error)
    {
        if (TryBuildListenersAndOthers(parse, a, out options, out error) && TryApplyCertificate(parse, a, ref options, out error)) return true;
        options.TlsCertificate?.Dispose();
        return false;
    }

    private static bool TryBuildListenersAndOthers(ParseResult parse, Arguments a, out GatewayOptions options, out string? error)
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
            var listeners = new List<SipListenEndPoint>();
            foreach (var text in parse.GetValue(a.Sip) is { Length: > 0 } given ? given : [DefaultSip])
            {
                if (!ListenAddress.TryParseListener(text, "--sip", out var listener, out error)) return false;
                listeners.Add(listener!);
            }
            // The first UDP address is the primary one; with none given the gateway has no UDP listener.
            var udp = listeners.FirstOrDefault(l => l.Transport == SipTransportProtocol.Udp);
            options = options with
            {
                SipEndPoint = udp?.EndPoint,
                AdditionalListenEndPoints = listeners.Where(l => !ReferenceEquals(l, udp)).ToList(),
                MediaAddress = listeners[0].EndPoint.Address,
            };
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
            options = options with { FlowPath = flowPath, Application = null };
        }
        if (!TryApplyTwiml(parse, a, ref options, out error)) return false;
        if (!a.Cluster.TryApply(parse, ref options, out error)) return false;
        if (parse.GetValue(a.RtpPorts) is { } portsText)
        {
            if (!RtpPortRange.TryParse(portsText, out var ports, out var portsError))
            {
                error = $"--rtp-ports {portsError}";
                return false;
            }
            options = options with { RtpPorts = ports };
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
        return a.Media.TryApply(parse, ref options, out error);
    }

    // --twiml replaces the configuration's flow and twiml application (the command line wins); --flow with it is a mistake.
    private static bool TryApplyTwiml(ParseResult parse, Arguments a, ref GatewayOptions options, out string? error)
    {
        error = null;
        var dialectText = parse.GetValue(a.Dialect);
        var dialect = TwimlDialect.Twilio;
        if (dialectText is not null)
        {
            switch (dialectText.Trim().ToLowerInvariant())
            {
                case "twilio" or "twiml": break;
                case "telnyx" or "texml": dialect = TwimlDialect.Telnyx; break;
                default:
                    error = $"--dialect '{dialectText}': expected twilio or telnyx";
                    return false;
            }
        }
        if (parse.GetValue(a.Twiml) is not { } twimlPath)
        {
            if (dialectText is not null) error = "--dialect applies to --twiml FILE; give the file too";
            return error is null;
        }
        if (parse.GetValue(a.Flow) is not null)
        {
            error = "--flow and --twiml are exclusive: a call runs a flow or a TwiML/TeXML document";
            return false;
        }
        if (!File.Exists(twimlPath))
        {
            error = $"--twiml '{twimlPath}': file not found";
            return false;
        }
        options = options with { FlowPath = null, Application = VoiceApplication.ForFile(twimlPath, dialect) };
        return true;
    }

    /// <summary>
    /// <c>--cert</c> replaces the configuration file's <c>tls</c> certificate; a TLS listener needs one, and a
    /// certificate or password without a TLS listener or certificate is refused as a mistake.
    /// </summary>
    private static bool TryApplyCertificate(ParseResult parse, Arguments a, ref GatewayOptions options, out string? error)
    {
        var tls = options.AdditionalListenEndPoints.FirstOrDefault(l => l.Transport == SipTransportProtocol.Tls);
        if (!ServerCertificateFile.TryRead(parse.GetValue(a.Cert), parse.GetValue(a.CertPassword), tls, "--sip", options.TlsCertificate is not null,
                out var certificate, out error))
        {
            return false;
        }
        if (certificate is not null)
        {
            options.TlsCertificate?.Dispose();
            options = options with { TlsCertificate = certificate };
        }
        return true;
    }

    private static IEnumerable<string> Listeners(GatewayOptions options) =>
        (options.SipEndPoint is { } udp ? [$"udp:{udp}"] : Array.Empty<string>()).Concat(options.AdditionalListenEndPoints.Select(l => l.ToString()));

    private sealed record Arguments(Option<string?> Config, Option<string[]> Sip, Option<string?> Cert, Option<string?> CertPassword, Option<string?> Http, Option<string?> Flow, Option<string> Prompts,
                                    Option<string> Context, Option<string[]> Dns, Option<string?> Twiml, Option<string?> Dialect, Option<string?> RtpPorts, ClusterArguments Cluster)
    {
        /// <summary><c>--media-engine</c> and <c>--rtpengine</c>.</summary>
        public MediaEngineArguments Media { get; init; } = new();
    }
}
