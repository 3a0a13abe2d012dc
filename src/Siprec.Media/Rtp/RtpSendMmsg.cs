using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Siprec.Media.Sockets;

namespace Siprec.Media.Rtp;

/// <summary>
/// One batch of RTP datagrams laid out as mmsghdr/iovec on the stack and sent with a single sendmmsg(2) call (Linux), for
/// <see cref="RtpSocket.SendBatch"/>; a static call with the socket's state as arguments, so the batch path costs no
/// allocation or indirection more than when this lived in the socket.
/// </summary>
internal static class RtpSendMmsg
{
    /// <summary>Sends the batch; returns how many datagrams the kernel accepted, with the errno of a failed call.</summary>
    /// <param name="socket">The RTP socket; a disposed one sends nothing.</param>
    /// <param name="packets">The datagrams, first to last, with nothing between them.</param>
    /// <param name="lengths">Each datagram's length in bytes.</param>
    /// <param name="address">The peer's sockaddr, or null for a connected socket.</param>
    /// <param name="errno">The error of a failed call, else 0.</param>
    public static unsafe int Send(Socket socket, ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths, byte[]? address, out int errno)
    {
        errno = 0;
        var messages = stackalloc LinuxSockets.MMsgHdr[lengths.Length];
        var iov = stackalloc LinuxSockets.IoVec[lengths.Length];
        bool added = false;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref added);
            fixed (byte* data = packets)
            fixed (byte* name = address)
            {
                int offset = 0;
                for (int i = 0; i < lengths.Length; i++)
                {
                    iov[i].Base = data + offset;
                    iov[i].Length = (nuint)lengths[i];
                    messages[i] = default;
                    messages[i].Header.Name = name;
                    messages[i].Header.NameLength = (uint)(address?.Length ?? 0);
                    messages[i].Header.Iov = iov + i;
                    messages[i].Header.IovLength = 1;
                    offset += lengths[i];
                }
                int fd = (int)socket.SafeHandle.DangerousGetHandle();
                int sent = LinuxSockets.sendmmsg(fd, messages, (uint)lengths.Length, LinuxSockets.MsgDontWait);
                if (sent < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    return 0;
                }
                return sent;
            }
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added) socket.SafeHandle.DangerousRelease();
        }
    }

    /// <summary>
    /// The sockaddr of <paramref name="remote"/>, from the socket's <paramref name="cache"/> when it holds that endpoint,
    /// else made and cached there: one allocation per new peer, not per batch.
    /// </summary>
    public static byte[] AddressOf(ref PeerAddress? cache, IPEndPoint remote)
    {
        if (Volatile.Read(ref cache) is { } cached && ReferenceEquals(cached.Remote, remote)) return cached.Bytes;
        var socketAddress = remote.Serialize();
        var bytes = socketAddress.Buffer[..socketAddress.Size].ToArray();
        Volatile.Write(ref cache, new PeerAddress(remote, bytes));
        return bytes;
    }

    /// <summary>A peer and its sockaddr bytes, kept per socket by <see cref="AddressOf"/>.</summary>
    public sealed record PeerAddress(IPEndPoint Remote, byte[] Bytes);
}
