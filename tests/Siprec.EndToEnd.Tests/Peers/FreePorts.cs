using System.Net;
using System.Net.Sockets;

namespace Siprec.EndToEnd.Tests.Peers;

/// <summary>Loopback UDP ports that are free right now, for peers that need a fixed port on their command line.</summary>
internal static class FreePorts
{
    /// <summary>A free UDP port on 127.0.0.1.</summary>
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// A port free for both UDP and TCP on 127.0.0.1, for a SIP listener on both transports (RFC 3261 §18.1.1: a request
    /// too large for UDP goes to the same port over TCP).
    /// </summary>
    public static int UdpAndTcp()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Udp();
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no port free for both UDP and TCP on 127.0.0.1 after 50 attempts");
    }

    /// <summary>An even free UDP port whose successor pair (p, p+2) is free too, for an RTP receiver with two streams.</summary>
    public static int UdpMediaPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(20000, 30000) & ~1;
            if (IsFree(port) && IsFree(port + 1) && IsFree(port + 2) && IsFree(port + 3)) return port;
        }
        throw new InvalidOperationException("no free UDP port pair on 127.0.0.1 after 50 attempts");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
