using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Cli.Hosting;
using Siprec.Recorder;

namespace Siprec.Cli.Commands;

/// <summary><c>siprec srs [--listen udp:HOST:PORT] [--out DIR]</c>: runs the embedded recording server until Ctrl+C.</summary>
internal static class SrsCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "SIP listen address (udp:HOST:PORT)", DefaultValueFactory = _ => "udp:127.0.0.1:5080" };
        var output = new Option<string>("--out") { Description = "folder for the WAV + JSON of each recording session", DefaultValueFactory = _ => "recordings" };
        var verbose = new Option<bool>("--verbose") { Description = "log every SIP and recording event" };
        var command = new Command("srs", "run the embedded SIPREC recording server (SRS)") { listen, output, verbose };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ListenAddress.TryParse(parse.GetValue(listen)!, "--listen", out var endPoint, out var error))
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(directory);
            using var loggerFactory = CliLogging.Create(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            var options = new RecordingServerOptions { SipEndPoint = endPoint, MediaAddress = endPoint.Address, OutputDirectory = directory };
            await using var server = new RecordingServer(options, TimeProvider.System, loggerFactory);
            server.SessionCompleted += s => Console.WriteLine($"recorded {s.SessionId}: {s.WavPath} ({s.DurationSeconds:F2} s)");
            await server.StartAsync(cancellationToken);
            Console.WriteLine($"SRS listening on sip:{Format(server.SipEndPoint)}, writing to {directory}; Ctrl+C stops");
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

    private static string Format(IPEndPoint endPoint) => endPoint.ToString();
}
