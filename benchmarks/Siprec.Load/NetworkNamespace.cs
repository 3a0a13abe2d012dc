using System.Diagnostics;
using System.Globalization;

namespace Siprec.Load;

/// <summary>
/// A network namespace of the run's own (ip-netns(8)), so that the servers' and the callers' ports never collide with
/// anything else on the machine: created with its loopback up, deleted at the end. Needs root.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private bool _deleted;

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name, <c>siprec-load-&lt;pid&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>Whether this process runs as root (namespaces need it).</summary>
    public static bool IsRoot => Environment.UserName == "root" || File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal);

    /// <summary>Adds the namespace and brings its loopback up.</summary>
    /// <exception cref="InvalidOperationException"><c>ip</c> failed; the message holds its error.</exception>
    public static async Task<NetworkNamespace> CreateAsync(CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"siprec-load-{Environment.ProcessId}");
        await IpAsync(cancellationToken, "netns", "add", name).ConfigureAwait(false);
        var created = new NetworkNamespace(name);
        try
        {
            await IpAsync(cancellationToken, "-n", name, "link", "set", "lo", "up").ConfigureAwait(false);
        }
        catch
        {
            await created.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return created;
    }

    /// <summary>PIDs of the processes in the namespace (all started by this run: nothing else enters it).</summary>
    public async Task<IReadOnlyList<int>> PidsAsync()
    {
        var text = await IpAsync(CancellationToken.None, "netns", "pids", Name).ConfigureAwait(false);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : -1)
            .Where(p => p > 0)
            .ToList();
    }

    /// <summary>Kills what is still running inside (by PID), then deletes the namespace; idempotent, never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_deleted) return;
        _deleted = true;
        try
        {
            foreach (var pid in await PidsAsync().ConfigureAwait(false))
            {
                try
                {
                    using var leftover = Process.GetProcessById(pid);
                    Console.Error.WriteLine($"load: killing leftover process {pid} ({leftover.ProcessName}) in {Name}");
                    leftover.Kill(entireProcessTree: false);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // It exited between the listing and the kill.
                }
            }
            await IpAsync(CancellationToken.None, "netns", "del", Name).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"load: could not delete network namespace {Name}: {ex.Message} (ip netns del {Name})");
        }
    }

    private static async Task<string> IpAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start ip");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: exit {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        }
        return await output.ConfigureAwait(false);
    }
}
