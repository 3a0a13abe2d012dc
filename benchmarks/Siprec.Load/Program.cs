using System.Runtime.InteropServices;
using Siprec.Load;

var (options, error, help) = LoadCommand.Parse(args);
if (help) return 0;
if (options is null)
{
    Console.Error.WriteLine($"load: {error}");
    return 2;
}
if (options.Engines.Contains(MediaEngineKind.Rtpengine)
    && !(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "rtpengine"))))
{
    Console.Error.WriteLine("load: --engine rtpengine needs the rtpengine daemon on PATH (Debian: apt-get install rtpengine-daemon)");
    return 2;
}
foreach (var program in new[] { options.GatewayProgram, options.SrsProgram }.Distinct())
{
    if (program.Contains('/') && !File.Exists(program))
    {
        Console.Error.WriteLine($"load: {program} not found; build it first (dotnet build -c Release src/Siprec.Cli) or name it with --siprec");
        return 2;
    }
}

if (options.InsideNamespace is null && !options.NoNamespace && NetworkNamespace.IsRoot)
{
    return await NamespaceSupervisor.RunAsync(args, options);
}
if (options.InsideNamespace is null)
{
    Console.Error.WriteLine("load: warning: not in a network namespace of its own (not root, or --no-netns): running on the host's 127.0.0.1, "
        + "where the servers' RTP ports share the ephemeral range with everything else");
}

using var stop = new CancellationTokenSource(options.Timeout);
// Ctrl+C and SIGTERM end the run through its finally blocks, so every process it started is stopped by its PID.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await LoadRun.RunAsync(options, stop.Token);

void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
