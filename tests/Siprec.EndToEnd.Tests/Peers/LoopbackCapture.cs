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

    private LoopbackCapture(PeerProcess process, string tshark, string file)
    {
        _process = process;
        _tshark = tshark;
        File = file;
    }

    /// <summary>The pcap being written.</summary>
    public string File { get; }

    /// <summary>Starts capturing packets matching <paramref name="filter"/> and waits until tshark reports it is capturing.</summary>
    public static async Task<LoopbackCapture> StartAsync(string filter, int stopAfterPackets, TimeSpan stopAfter, string directory)
    {
        var tshark = Siprec.Testing.Peers.Require("tshark");
        var file = Path.Combine(directory, "capture.pcap");
        var seconds = ((int)Math.Ceiling(stopAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var process = PeerProcess.Start(tshark,
            ["-i", "lo", "-f", filter, "-c", stopAfterPackets.ToString(CultureInfo.InvariantCulture), "-a", $"duration:{seconds}", "-w", file],
            directory);
        var capture = new LoopbackCapture(process, tshark, file);
        for (var i = 0; i < 100 && !process.StandardError.Contains("Capturing on", StringComparison.Ordinal); i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"tshark exited: {process.StandardError}");
            await Task.Delay(100);
        }
        return capture;
    }

    /// <summary>Stops the capture now (SIGTERM to tshark's PID, so the pcap is complete), bounded by <paramref name="timeout"/>.</summary>
    public Task<bool> StopAsync(TimeSpan timeout) => _process.TerminateAsync(timeout);

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

    /// <summary>Stops tshark by its PID if it still runs.</summary>
    public void Dispose() => _process.Dispose();
}
