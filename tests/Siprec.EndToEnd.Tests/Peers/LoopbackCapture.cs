using System.Globalization;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>
/// A tshark capture on the loopback interface, written to a pcap, that stops by itself after a packet count
/// or a duration; <see cref="CountRtpAsync"/> dissects it afterwards with the given ports decoded as RTP.
/// </summary>
internal sealed class LoopbackCapture : IDisposable
{
    private readonly PeerProcess _process;
    private readonly string _tshark;

    private readonly System.Net.Sockets.UdpClient _marker;

    private LoopbackCapture(PeerProcess process, string tshark, string file, System.Net.Sockets.UdpClient marker)
    {
        _process = process;
        _tshark = tshark;
        File = file;
        _marker = marker;
    }

    /// <summary>The pcap being written.</summary>
    public string File { get; }

    /// <summary>Starts capturing packets matching <paramref name="filter"/> and waits until tshark reports it is capturing.</summary>
    public static async Task<LoopbackCapture> StartAsync(string filter, int stopAfterPackets, TimeSpan stopAfter, string directory)
    {
        var tshark = Siprec.Testing.Peers.Require("tshark");
        var file = Path.Combine(directory, "capture.pcap");
        var seconds = ((int)Math.Ceiling(stopAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        // A bound socket reserves the marker port for the capture's life; StopAsync sends to it (see there).
        var marker = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var markerPort = ((System.Net.IPEndPoint)marker.Client.LocalEndPoint!).Port;
        var process = PeerProcess.Start(tshark,
            ["-i", "lo", "-f", $"({filter}) or (udp dst port {markerPort})", "-c", stopAfterPackets.ToString(CultureInfo.InvariantCulture),
             "-a", $"duration:{seconds}", "-w", file, "-P"],
            directory);
        var capture = new LoopbackCapture(process, tshark, file, marker);
        // "Capturing on" comes before dumpcap has opened the interface; packets sent between the two are lost and a
        // SIGINT then kills dumpcap with nothing written. tshark logs "Capture started" once it really captures.
        await Poll.UntilAsync(() => process.StandardError.Contains("Capture started", StringComparison.Ordinal) || process.HasExited,
            TimeSpan.FromSeconds(15), "tshark to start capturing");
        if (process.HasExited) throw new InvalidOperationException($"tshark exited: {process.StandardError}");
        return capture;
    }

    /// <summary>Waits (bounded) for the capture to stop by itself.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Dissects the pcap with <paramref name="rtpPorts"/> decoded as RTP; returns packets per destination port.</summary>
    public async Task<IReadOnlyDictionary<int, int>> CountRtpAsync(params int[] rtpPorts)
    {
        var args = new List<string> { "-r", File };
        foreach (var port in rtpPorts) args.AddRange(["-d", $"udp.port=={port},rtp"]);
        args.AddRange(["-Y", "rtp", "-T", "fields", "-e", "udp.dstport", "-e", "rtp.p_type"]);
        using var reader = PeerProcess.Start(_tshark, args);
        if (!await reader.WaitForExitAsync(TimeSpan.FromSeconds(30))) throw new TimeoutException("tshark -r did not finish in 30 s");
        return reader.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 2 && f[1] == "0")
            .GroupBy(f => int.Parse(f[0], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>
    /// Stops the capture once everything sent so far is in it, and waits up to <paramref name="timeout"/> for tshark to
    /// exit. dumpcap hands packets over in batches, so a SIGINT right after the traffic loses the last batch: a marker
    /// datagram goes to a port of the capture's own (not decoded as anything) until tshark prints it, then SIGINT.
    /// </summary>
    /// <returns>False when tshark did not print the marker or did not exit within the bound.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return true;
        var port = ((System.Net.IPEndPoint)_marker.Client.LocalEndPoint!).Port;
        var seen = $"→ {port.ToString(CultureInfo.InvariantCulture)} ";
        try
        {
            await Poll.UntilAsync(() => _process.StandardOutput.Contains(seen, StringComparison.Ordinal) || _process.HasExited, timeout,
                "tshark to capture the end-of-capture marker", () => _marker.Send("marker"u8, (System.Net.IPEndPoint)_marker.Client.LocalEndPoint!));
        }
        catch (TimeoutException)
        {
            return false;
        }
        return await _process.InterruptAsync(timeout);
    }

    /// <summary>Stops tshark by its PID if it still runs.</summary>
    public void Dispose()
    {
        _process.Dispose();
        _marker.Dispose();
    }
}
