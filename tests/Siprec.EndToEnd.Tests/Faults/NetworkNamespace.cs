using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// A network namespace the test creates (<c>ip netns add</c>, root) with only its own loopback up, so iptables rules and
/// traffic stay inside it and nothing touches the host's network; deleted (with every process started in it stopped by
/// its PID) on dispose.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);
    private readonly List<PeerProcess> _processes = [];

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name (<c>siprec-…</c>).</summary>
    public string Name { get; }

    /// <summary>Creates the namespace and brings its loopback up.</summary>
    /// <exception cref="InvalidOperationException">A command failed (not root, no iproute2); the message has its output.</exception>
    public static async Task<NetworkNamespace> CreateAsync()
    {
        Siprec.Testing.Peers.Require("ip");
        var ns = new NetworkNamespace("siprec-" + Guid.NewGuid().ToString("N")[..10]);
        await RunAsync("ip", ["netns", "add", ns.Name]);
        try
        {
            await ns.ExecAsync("ip", "link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="program"/> inside the namespace to completion (bounded) and returns its standard output.</summary>
    public Task<string> ExecAsync(string program, params string[] arguments) => RunAsync("ip", ["netns", "exec", Name, program, .. arguments]);

    /// <summary>Starts <paramref name="program"/> inside the namespace (<c>ip netns exec</c> execs it, so the PID is the program's).</summary>
    public PeerProcess Start(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var process = PeerProcess.Start("ip", ["netns", "exec", Name, program, .. arguments], workingDirectory);
        _processes.Add(process);
        return process;
    }

    /// <summary>Stops every process started in it, then deletes the namespace.</summary>
    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Signal(PosixSignals.Continue);
            process.Dispose();
        }
        RunAsync("ip", ["netns", "delete", Name]).GetAwaiter().GetResult();
    }

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments)
    {
        using var process = PeerProcess.Start(program, arguments);
        if (!await process.WaitForExitAsync(CommandLimit)) throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {process.StandardError}");
        return process.StandardOutput;
    }
}
