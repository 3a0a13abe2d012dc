using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>
/// The sample record-routing proxy (<c>samples/kamailio/kamailio.cfg</c>) run by Debian's Kamailio in the foreground
/// (<c>-DD -E</c>) on one 127.0.0.1 port for both UDP and TCP, with its PID file and working directory under the test's
/// folder and small shared/private memory. Its log (stderr) is kept: the config writes
/// <c>loose_route &lt;method&gt; &lt;call-id&gt;</c> for every in-dialog request it routed, which is how a test proves an
/// ACK, re-INVITE or BYE went through it. Stopped by its own PID.
/// </summary>
internal sealed partial class Kamailio : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);
    private readonly PeerProcess _process;

    private Kamailio(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port Kamailio listens on, UDP and TCP, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>What Kamailio logged so far (its stderr).</summary>
    public string Log => _process.StandardError;

    /// <summary>
    /// Starts Kamailio and returns once it accepts TCP connections on its port (its UDP socket is bound before that);
    /// bounded by 15 s.
    /// </summary>
    /// <param name="workDirectory">The test's folder: PID file and Kamailio's working directory go there.</param>
    /// <param name="gateway">Where initial requests for anyone but <c>srs</c> go, e.g. <c>sip:127.0.0.1:5070;transport=tcp</c>.</param>
    /// <param name="srs">Where initial requests for <c>sip:srs@…</c> go; null keeps the config's default.</param>
    /// <exception cref="TimeoutException">Kamailio did not listen within the bound.</exception>
    public static async Task<Kamailio> StartAsync(string workDirectory, string gateway, string? srs = null)
    {
        var defines = new List<string> { $"GATEWAY=\"{gateway}\"" };
        if (srs is not null) defines.Add($"SRS=\"{srs}\"");
        return await LaunchAsync("kamailio.cfg", workDirectory, defines);
    }

    // Runs samples/kamailio/<config> with the listeners on a free port and the config's -A defines; bounded start.
    private static async Task<Kamailio> LaunchAsync(string config, string workDirectory, IEnumerable<string> defines)
    {
        var program = Siprec.Testing.Peers.Require("kamailio");
        var port = FreePorts.UdpAndTcp();
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, "kamailio")).FullName;
        var p = port.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-DD", "-E", "-f", Path.Combine(RepoPaths.Samples, "kamailio", config),
            "-P", Path.Combine(directory, "kamailio.pid"), "-w", directory, "-m", "16", "-M", "4",
            "-A", $"LISTEN_UDP=udp:127.0.0.1:{p}", "-A", $"LISTEN_TCP=tcp:127.0.0.1:{p}",
        };
        args.AddRange(defines.SelectMany(d => new[] { "-A", d }));
        var kamailio = new Kamailio(PeerProcess.Start(program, args, directory), port);
        try
        {
            await Poll.UntilAsync(() => kamailio._process.HasExited || AcceptsTcp(port), StartLimit, $"Kamailio listening on 127.0.0.1:{p}");
            if (kamailio._process.HasExited)
                throw new InvalidOperationException($"kamailio exited with {kamailio._process.ExitCode}:\n{kamailio.Log}");
            return kamailio;
        }
        catch
        {
            await kamailio.DisposeAsync();
            throw;
        }
    }

    /// <summary>The methods of the in-dialog requests of dialog <paramref name="callId"/> that Kamailio routed by their Route header, in order.</summary>
    public IReadOnlyList<string> LooseRouted(string callId) =>
        LooseRouteLine().Matches(Log).Where(m => m.Groups["callid"].Value == callId).Select(m => m.Groups["method"].Value).ToList();

    /// <summary>The Call-IDs of the initial requests of <paramref name="method"/> that Kamailio relayed to <paramref name="destination"/> (a <c>$du</c> URI), in order.</summary>
    public IReadOnlyList<string> InitialCallIds(string method, string destination) =>
        InitialLine().Matches(Log)
            .Where(m => m.Groups["method"].Value == method && m.Groups["du"].Value == destination)
            .Select(m => m.Groups["callid"].Value).ToList();

    /// <summary>The config's own log lines (initial requests relayed, in-dialog requests routed or refused), for failure messages.</summary>
    public string Summary() =>
        string.Join("\n", Log.Split('\n').Where(l => ConfigLine().IsMatch(l)).Select(l => l.Trim()));

    /// <summary>Stops Kamailio by its PID (SIGINT: it stops its children and exits; killed with its tree after 10 s).</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.InterruptAsync(StopLimit);
        _process.Dispose();
    }

    private static bool AcceptsTcp(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\b(initial|loose_route|transaction ACK|refused in-dialog|relay of|insane|gateway|failover|no gateway|dispatcher:) ")]
    private static partial Regex ConfigLine();

    [GeneratedRegex(@"initial (?<method>[A-Z]+) (?<callid>\S+) from \S+ to (?<du>\S+)")]
    private static partial Regex InitialLine();

    [GeneratedRegex(@"loose_route (?<method>[A-Z]+) (?<callid>\S+)")]
    private static partial Regex LooseRouteLine();
}
