using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Siprec.Media.Rtpengine;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>
/// The Debian <c>rtpengine-daemon</c> in userspace on 127.0.0.1 (no kernel table: <c>--table=-1</c>), foreground, logging to
/// stderr, with its ng listener on a free UDP port and a media port range of its own. Ready once it answers an ng
/// <c>ping</c>; disposal kills it by its own PID (a stopped one is continued first).
/// </summary>
internal sealed partial class RtpengineDaemon : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);
    private readonly PeerProcess _process;

    private RtpengineDaemon(PeerProcess process, int ngPort)
    {
        _process = process;
        NgPort = ngPort;
    }

    /// <summary>The ng control port on 127.0.0.1.</summary>
    public int NgPort { get; }

    /// <summary>The <c>udp:127.0.0.1:PORT</c> address the gateway is given.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"udp:127.0.0.1:{NgPort}");

    /// <summary>The daemon's log so far (stderr).</summary>
    public string Log => _process.StandardError + _process.StandardOutput;

    /// <summary>The ng commands the daemon received, in order (from its log's "Received command" lines).</summary>
    public IReadOnlyList<string> Commands => CommandLine().Matches(Log).Select(m => m.Groups["command"].Value).ToList();

    /// <summary>Sends <paramref name="signal"/> (a <see cref="PosixSignals"/> number) to the daemon by its PID.</summary>
    public bool Signal(int signal) => _process.Signal(signal);

    /// <summary>
    /// Starts a daemon with 100 media ports of its own, below the kernel's ephemeral range (20000-29999, a random hundred, so
    /// two daemons and other tests rarely meet; rtpengine skips a port it cannot bind).
    /// </summary>
    /// <exception cref="TimeoutException">It did not answer an ng ping within 15 s.</exception>
    public static async Task<RtpengineDaemon> StartAsync()
    {
        var portMin = 20000 + Random.Shared.Next(0, 100) * 100;
        var program = Siprec.Testing.Peers.Require("rtpengine");
        var ngPort = FreePorts.Udp();
        string[] args =
        [
            "--config-file=none", // not /etc/rtpengine/rtpengine.conf: its fixed CLI (2224) and HTTP (2225) ports would collide between daemons
            "--foreground", "--log-stderr", "--table=-1", "--interface=127.0.0.1", $"--listen-ng=127.0.0.1:{ngPort}",
            $"--port-min={portMin}", $"--port-max={portMin + 99}", "--log-level=6", "--delete-delay=0",
        ];
        var daemon = new RtpengineDaemon(PeerProcess.Start(program, args), ngPort);
        try
        {
            await Poll.UntilAsync(() => daemon._process.HasExited || Pong(ngPort), StartLimit, $"rtpengine answering ng on 127.0.0.1:{ngPort}");
            if (daemon._process.HasExited)
                throw new InvalidOperationException($"rtpengine exited with {daemon._process.ExitCode}:\n{daemon.Log}");
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    private static bool Pong(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
        var ping = Encoding.ASCII.GetBytes("probe ").Concat(Bencode.Encode(new Dictionary<string, object> { ["command"] = "ping" })).ToArray();
        try
        {
            socket.SendTo(ping, new IPEndPoint(IPAddress.Loopback, port));
            var buffer = new byte[512];
            var n = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).Contains("pong", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Continues a stopped daemon, then kills it by its PID.</summary>
    public void Dispose()
    {
        _process.Signal(PosixSignals.Continue);
        _process.Dispose();
    }

    [GeneratedRegex(@"Received command '(?<command>[^']+)'")]
    private static partial Regex CommandLine();
}
