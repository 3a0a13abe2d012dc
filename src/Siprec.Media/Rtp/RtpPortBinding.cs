using System.Net;
using System.Net.Sockets;

namespace Siprec.Media.Rtp;

/// <summary>
/// Finds and binds the UDP sockets of <see cref="RtpSocket"/>: an even port for RTP and the next odd one for RTCP
/// (RFC 3550 §11), ephemeral or inside the operator's port range (media.portRange / --rtp-ports). Setup only, never on
/// the packet path, so the socket class keeps nothing but its per-packet code.
/// </summary>
internal static class RtpPortBinding
{
    private const int BindAttempts = 64;
    private const int KernelBufferBytes = 256 * 1024;

    /// <summary>Opens <paramref name="port"/>, or with 0 an even ephemeral port.</summary>
    /// <exception cref="SocketException">The port is taken, or no even port could be found.</exception>
    public static Socket OpenEven(IPAddress address, int port)
    {
        if (port != 0) return Open(address, port);

        for (int attempt = 0; attempt < BindAttempts; attempt++)
        {
            var socket = Open(address, 0);
            int chosen = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (chosen % 2 == 0) return socket;
            socket.Dispose();
            if (chosen + 1 <= IPEndPoint.MaxPort && TryOpen(address, chosen + 1, out var even))
                return even;
        }
        throw new SocketException((int)SocketError.AddressNotAvailable);
    }

    /// <summary>
    /// An ephemeral even/odd pair, retrying with other ephemeral ports while the odd neighbour is taken; each RTP socket
    /// is wrapped (and disposed when its neighbour is taken) as the public <see cref="RtpSocket.Bind(IPAddress, int, Microsoft.Extensions.Logging.ILogger{RtpSocket}?)"/> would.
    /// </summary>
    /// <exception cref="SocketException">No free even/odd pair was found.</exception>
    public static (RtpSocket Rtp, RtpSocket Rtcp) BindPair(IPAddress address, Func<Socket, RtpSocket> wrap)
    {
        for (int attempt = 0; attempt < BindAttempts; attempt++)
        {
            var rtp = wrap(OpenEven(address, 0));
            int port = rtp.LocalEndPoint.Port;
            if (port + 1 <= IPEndPoint.MaxPort && TryOpen(address, port + 1, out var rtcp))
                return (rtp, wrap(rtcp));
            rtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        throw new SocketException((int)SocketError.AddressNotAvailable);
    }

    /// <summary>The first free even port of <paramref name="ports"/>.</summary>
    /// <exception cref="RtpPortsExhaustedException">Every even port of <paramref name="ports"/> is taken.</exception>
    public static Socket OpenInRange(IPAddress address, RtpPortRange ports)
    {
        foreach (int port in ports.Candidates())
        {
            if (TryOpen(address, port, out var socket)) return socket;
        }
        throw new RtpPortsExhaustedException(ports);
    }

    /// <summary>The first free even/odd pair of <paramref name="ports"/>.</summary>
    /// <exception cref="RtpPortsExhaustedException">No pair of <paramref name="ports"/> is free.</exception>
    public static (Socket Rtp, Socket Rtcp) OpenPairInRange(IPAddress address, RtpPortRange ports)
    {
        foreach (int port in ports.Candidates())
        {
            if (!TryOpen(address, port, out var rtp)) continue;
            if (TryOpen(address, port + 1, out var rtcp)) return (rtp, rtcp);
            rtp.Dispose();
        }
        throw new RtpPortsExhaustedException(ports);
    }

    private static Socket Open(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            Tune(socket);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool TryOpen(IPAddress address, int port, out Socket socket)
    {
        try
        {
            socket = Open(address, port);
            return true;
        }
        catch (SocketException)
        {
            socket = null!;
            return false;
        }
    }

    private static void Tune(Socket socket)
    {
        socket.Blocking = false;
        try
        {
            socket.ReceiveBufferSize = KernelBufferBytes;
            socket.SendBufferSize = KernelBufferBytes;
        }
        catch (SocketException)
        {
            // The kernel caps buffer sizes; the defaults still work.
        }
    }
}
