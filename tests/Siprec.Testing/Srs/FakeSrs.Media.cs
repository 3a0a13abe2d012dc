using System.Net;
using Siprec.Media.Rtp;

namespace Siprec.Testing.Srs;

/// <summary>Marker probes on the fake's RTP sockets: what reached an m-line so far, proven without a sleep.</summary>
public sealed partial class FakeSrs
{
    private static readonly byte[] Marker = "fake-srs-probe"u8.ToArray();
    private readonly RtpSocket _probe = RtpSocket.Bind(IPAddress.Loopback);
    private readonly long[] _media = new long[2];
    private readonly long[] _markers = new long[2];

    /// <summary>
    /// How many RTP packets (markers excluded) reached the socket of m-line <paramref name="stream"/> (0 = caller, 1 = bot)
    /// before a marker datagram sent now: UDP on loopback is queued in send order, so once the marker is in, everything the
    /// SRC sent before this call is counted. Use it to prove that nothing arrived (e.g. while paused).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stream"/> is not 0 or 1.</exception>
    /// <exception cref="TimeoutException">The marker did not arrive within <paramref name="timeout"/> (default <see cref="DefaultWait"/>).</exception>
    public async Task<long> DrainWithProbeAsync(int stream, TimeSpan? timeout = null)
    {
        if (stream is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(stream), stream, "m-line 0 (caller) or 1 (bot)");
        var target = Interlocked.Read(ref _markers[stream]) + 1;
        _probe.Send(Marker, Sockets[stream].LocalEndPoint);
        await Poll.UntilAsync(() => Interlocked.Read(ref _markers[stream]) >= target, timeout ?? DefaultWait, $"the probe marker on m-line {stream} of {Uri}");
        return Interlocked.Read(ref _media[stream]);
    }

    /// <summary>RTP packets (markers excluded) received on m-line <paramref name="stream"/> (0 = caller, 1 = bot).</summary>
    public long MediaPackets(int stream) => Interlocked.Read(ref _media[stream]);

    private void OnMedia(int stream, ReadOnlySpan<byte> packet)
    {
        if (packet.SequenceEqual(Marker))
            Interlocked.Increment(ref _markers[stream]);
        else
            Interlocked.Increment(ref _media[stream]);
    }
}
