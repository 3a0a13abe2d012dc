using System.Globalization;
using System.Net;
using Siprec.Media.Rtp;
using Siprec.Media.Wav;

namespace Siprec.Benchmarks;

/// <summary>
/// <c>--session-memory N</c>: what one SRS recording session's media costs in memory, measured on N at once: per session
/// two recorded streams, each an RTP/RTCP socket pair receiving (as the SRS binds them) into one two-channel
/// <see cref="MultiTrackWavRecorder"/> fed one second of audio per channel and flushed. Prints, per session, the managed
/// heap retained (GC.GetTotalMemory after a full collection), the bytes allocated, and the process RSS growth.
/// </summary>
internal static class SessionMemory
{
    public static void Run(int sessions)
    {
        var folder = Directory.CreateTempSubdirectory("siprec-session-memory-").FullName;
        var sockets = new List<RtpSocket>();
        var recorders = new List<MultiTrackWavRecorder>();
        var samples = new short[160];
        try
        {
            Warm(folder);
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            long rssBefore = RssBytes();
            for (int s = 0; s < sessions; s++)
            {
                var recorder = new MultiTrackWavRecorder(Path.Combine(folder, $"s{s}.wav"), 2, TimeProvider.System);
                recorders.Add(recorder);
                for (int stream = 0; stream < 2; stream++)
                {
                    var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
                    rtp.Start((_, _) => { });
                    rtcp.Start((_, _) => { });
                    sockets.Add(rtp);
                    sockets.Add(rtcp);
                    for (uint packet = 0; packet < 50; packet++) recorder.Write(stream, packet * 160, samples);
                }
                recorder.Flush();
            }
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            long allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
            long rssAfter = RssBytes();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sessions={sessions} managed_retained_per_session={(heapAfter - heapBefore) / sessions} B allocated_per_session={(allocatedAfter - allocatedBefore) / sessions} B rss_per_session={(rssAfter - rssBefore) / sessions} B"));
        }
        finally
        {
            foreach (var recorder in recorders) recorder.Dispose();
            foreach (var socket in sockets) socket.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(folder, recursive: true);
        }
    }

    // JIT, the socket engine and pools are set up before the measurement.
    private static void Warm(string folder)
    {
        using var recorder = new MultiTrackWavRecorder(Path.Combine(folder, "warm.wav"), 2, TimeProvider.System);
        var (rtp, rtcp) = RtpSocket.BindPair(IPAddress.Loopback);
        rtp.Start((_, _) => { });
        rtcp.Start((_, _) => { });
        recorder.Write(0, 0, new short[160]);
        recorder.Flush();
        rtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        rtcp.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
