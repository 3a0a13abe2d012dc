using System.Net;
using System.Net.Sockets;
using Siprec.Media.Rtp;

namespace Siprec.Testing;

/// <summary>
/// Finds a small run of consecutive free UDP ports on 127.0.0.1 starting at an even port, for tests of the RTP port range
/// (<c>--rtp-ports</c>, <c>media.portRange</c>): far from the ephemeral range so ordinary sockets do not wander in.
/// Bounded: tries at most 200 random starts.
/// </summary>
public static class FreePortRange
{
    /// <summary>A range of <paramref name="pairs"/> even/odd pairs whose every port was free a moment ago.</summary>
    /// <exception cref="InvalidOperationException">No such run was found in 200 tries.</exception>
    public static RtpPortRange Find(int pairs)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int low = 2 * Random.Shared.Next(10_000, 15_000); // 20000..29998, below Linux's ephemeral 32768
            int high = low + (2 * pairs) - 1;
            if (AllFree(low, high)) return RtpPortRange.Parse($"{low}-{high}");
        }
        throw new InvalidOperationException($"no run of {2 * pairs} free UDP ports found on 127.0.0.1");
    }

    private static bool AllFree(int low, int high)
    {
        var held = new List<Socket>();
        try
        {
            for (int port = low; port <= high; port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                held.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            foreach (var socket in held) socket.Dispose();
        }
    }
}
