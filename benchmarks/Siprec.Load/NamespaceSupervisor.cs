using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Siprec.Load;

/// <summary>
/// The root side of a run in a namespace: makes the namespace, runs a copy of the harness inside it with
/// <c>ip netns exec</c> (which execs, so the copy keeps the PID we started), passes Ctrl+C and SIGTERM on to that
/// copy (as SIGTERM), and deletes the namespace (killing whatever is left in it) however the copy ends.
/// </summary>
internal static class NamespaceSupervisor
{
    private static readonly TimeSpan ChildGrace = TimeSpan.FromSeconds(60);

    /// <summary>Runs the harness inside a new namespace; returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, LoadOptions options)
    {
        await using var ns = await NetworkNamespace.CreateAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"load: network namespace {ns.Name} (loopback only; deleted at the end)");
        var info = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var part in new[] { "netns", "exec", ns.Name }.Concat(SelfCommand()).Concat(args).Concat([LoadCommand.InsideNamespaceOption, ns.Name]))
            info.ArgumentList.Add(part);

        using var child = Process.Start(info) ?? throw new InvalidOperationException("cannot start ip netns exec");
        // The terminal's Ctrl+C reaches the child too (same process group); a signal sent to us alone is passed on.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Forward(c, child));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Forward(c, child));
        using var bound = new CancellationTokenSource(options.Timeout + ChildGrace);
        try
        {
            await child.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            return child.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"load: the run inside {ns.Name} outlived its bound; killing it");
            child.Kill(entireProcessTree: false);
            await child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return 124;
        }
    }

    private static void Forward(PosixSignalContext context, Process child)
    {
        context.Cancel = true;
        if (!child.HasExited) _ = ServerSignals.Terminate(child.Id);
    }

    // Under "dotnet Siprec.Load.dll" the process path is dotnet itself and the dll must be named again.
    private static IEnumerable<string> SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? [path, typeof(NamespaceSupervisor).Assembly.Location] : [path];
    }
}
