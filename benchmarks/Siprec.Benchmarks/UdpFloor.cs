using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Siprec.Media.Rtp;

namespace Siprec.Benchmarks;

/// <summary>
/// <c>--udp-floor PPS [SECONDS]</c>: what the kernel alone charges for one RTP-sized datagram on this machine, the floor
/// under any forwarder's CPU per packet. One thread sends 172-byte datagrams (PCMU, 20 ms) round robin to 1,000 RTP sockets
/// on 127.0.0.1, paced every millisecond to PPS packets a second as a media clock does; the sockets are drained by the
/// product's receive engine (epoll + recvmmsg) with a handler that only counts. Prints the sending thread's CPU per
/// datagram (its own getrusage(RUSAGE_THREAD): the sendto and, on loopback, the kernel's delivery of the datagram into
/// the receiving socket and the wake-up of a parked reader), the rest of the process per datagram (the receive side),
/// and both together.
/// </summary>
internal static partial class UdpFloor
{
    private const int Receivers = 1000;
    private const int DatagramBytes = 172;

    public static void Run(int packetsPerSecond, int seconds)
    {
        var receivers = new List<RtpSocket>();
        long received = 0;
        try
        {
            for (int i = 0; i < Receivers; i++)
            {
                var socket = RtpSocket.Bind(IPAddress.Loopback);
                socket.Start((_, _) => Interlocked.Increment(ref received));
                receivers.Add(socket);
            }
            var targets = receivers.Select(r => r.LocalEndPoint.Serialize()).ToArray();
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 4 << 20 };
            sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var datagram = new byte[DatagramBytes];
            datagram[0] = 0x80;

            // Warm-up: JIT and socket buffers, not counted.
            Pace(sender, targets, datagram, packetsPerSecond, TimeSpan.FromSeconds(1), out _);
            var start = Stopwatch.GetTimestamp();
            var processBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var receivedBefore = Interlocked.Read(ref received);
            var senderCpu = Pace(sender, targets, datagram, packetsPerSecond, TimeSpan.FromSeconds(seconds), out long sent);
            // Bounded wait for the last datagrams to be read (at most a second).
            var drainDeadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            while (Interlocked.Read(ref received) - receivedBefore < sent && Stopwatch.GetTimestamp() < drainDeadline) Thread.Sleep(1);
            var processCpu = Process.GetCurrentProcess().TotalProcessorTime - processBefore;
            var got = Interlocked.Read(ref received) - receivedBefore;
            var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;

            double sendUs = senderCpu.TotalMicroseconds / sent;
            double receiveUs = (processCpu - senderCpu).TotalMicroseconds / Math.Max(1, got);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"udp-floor: {sent:N0} datagrams sent in {wall:F1} s ({sent / wall:N0}/s), {got:N0} received ({100.0 * got / sent:F2} %)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"udp-floor: CPU per datagram: send {sendUs:F2} µs (incl. loopback delivery), receive {receiveUs:F2} µs, together {sendUs + receiveUs:F2} µs"));
        }
        finally
        {
            foreach (var socket in receivers) socket.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    // Sends what is due every millisecond (absolute schedule), round robin over the targets; returns this thread's CPU time.
    private static TimeSpan Pace(Socket sender, SocketAddress[] targets, byte[] datagram, int packetsPerSecond, TimeSpan duration, out long sent)
    {
        var cpuBefore = ThreadCpu();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        sent = 0;
        int next = 0;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end) break;
            long due = (long)((now - start) * (double)packetsPerSecond / Stopwatch.Frequency);
            for (; sent < due; sent++)
            {
                sender.SendTo(datagram, SocketFlags.None, targets[next]);
                next = (next + 1) % targets.Length;
            }
            Thread.Sleep(1);
        }
        return ThreadCpu() - cpuBefore;
    }

    private static TimeSpan ThreadCpu()
    {
        // RUSAGE_THREAD (Linux): this thread's user + system time.
        if (getrusage(1, out var usage) != 0) throw new InvalidOperationException("getrusage(RUSAGE_THREAD) failed");
        return TimeSpan.FromMicroseconds((usage.UserSeconds + usage.SystemSeconds) * 1_000_000.0 + usage.UserMicroseconds + usage.SystemMicroseconds);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, out RUsage usage);

    // struct rusage (64-bit Linux): two timevals, then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }
}
