using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.Gateway;
using Siprec.Cli.Demo.Caller;
using Siprec.Media.Wav;
using Siprec.Recorder;
using Siprec.Sip.Messages;

namespace Siprec.Cli.Demo;

/// <summary>
/// The whole loop on one machine: two embedded SRSs, a gateway running the sample flow, and a caller that
/// talks the sample utterance. The flow's SRS list names both SRSs plus one address where nothing listens,
/// so the report shows parallel recording surviving a dead recorder.
/// </summary>
internal sealed class DemoRunner(DemoSettings settings, ILoggerFactory loggerFactory)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs one demo call and returns what each SRS and the gateway reported.</summary>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        Directory.CreateDirectory(settings.OutputDirectory);
        var servers = new List<RecordingServer>();
        try
        {
            var srsUris = new List<string>();
            for (var i = 1; i <= 2; i++)
            {
                var options = new RecordingServerOptions
                {
                    SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                    MediaAddress = IPAddress.Loopback,
                    OutputDirectory = Path.Combine(settings.OutputDirectory, $"srs{i}"),
                };
                Directory.CreateDirectory(options.OutputDirectory);
                var server = new RecordingServer(options, time, loggerFactory);
                servers.Add(server);
                await server.StartAsync(cancellationToken);
                srsUris.Add($"sip:srs{i}@{server.SipEndPoint}");
            }
            var deadUri = $"sip:nobody@{UnusedUdpEndPoint()}";
            srsUris.Add(deadUri);

            var recordingsDone = new CountdownEvent(servers.Count);
            foreach (var server in servers) server.SessionCompleted += _ => Signal(recordingsDone);

            var context = new JObject
            {
                ["srsList"] = new JArray(srsUris),
                ["recordingId"] = $"demo-{time.GetUtcNow():yyyyMMddTHHmmss}",
            };
            var gatewayOptions = new GatewayOptions
            {
                SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                MediaAddress = IPAddress.Loopback,
                FlowPath = settings.FlowPath,
                PromptDirectory = settings.AudioDirectory,
                FlowContext = context,
            };
            await using var gateway = new RecordingGateway(gatewayOptions, time, loggerFactory);
            var callEnded = new TaskCompletionSource<CallSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
            gateway.CallEnded += summary => callEnded.TrySetResult(summary);
            await gateway.StartAsync(cancellationToken);

            await using var caller = new DemoCaller(new IPEndPoint(IPAddress.Loopback, 0), IPAddress.Loopback, time, loggerFactory);
            var utterance = WavFile.Read(Path.Combine(settings.AudioDirectory, "caller.wav"));
            var target = SipUri.Parse($"sip:bot@{gateway.SipEndPoint}");
            var call = await caller.CallAsync(target, utterance, settings.MaxCallDuration, cancellationToken);

            CallSummary? callSummary = null;
            try
            {
                callSummary = await callEnded.Task.WaitAsync(SettleTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
            await Task.Run(() => recordingsDone.Wait(SettleTimeout, cancellationToken), cancellationToken);

            return new DemoReport(
                settings.OutputDirectory,
                call,
                callSummary,
                srsUris,
                servers.Select((s, i) => new DemoSrsReport(srsUris[i], s.CompletedSessions.ToList())).ToList());
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    private static void Signal(CountdownEvent countdown)
    {
        if (!countdown.IsSet) countdown.Signal();
    }

    // A port that was free a moment ago: nothing listens there, so that recorder can only fail.
    private static IPEndPoint UnusedUdpEndPoint()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }
}
