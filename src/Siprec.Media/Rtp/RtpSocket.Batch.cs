using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Siprec.Media.Sockets;

namespace Siprec.Media.Rtp;

// Several datagrams to one peer in one system call (sendmmsg(2) on Linux, a loop of sends elsewhere).
public sealed partial class RtpSocket
{
    /// <summary>The most datagrams one <see cref="SendBatch"/> takes.</summary>
    public const int MaxBatch = 64;

    private PeerAddress? _batchAddress;

    /// <summary>
    /// Sends <paramref name="lengths"/>.Length datagrams laid out back to back in <paramref name="packets"/> to
    /// <paramref name="remote"/>, in order: on Linux with one sendmmsg(2) call, elsewhere one send each. Counts and
    /// reports failures as <see cref="TrySend"/> does; never throws for network reasons.
    /// </summary>
    /// <param name="packets">The datagrams, first to last, with nothing between them.</param>
    /// <param name="lengths">Each datagram's length in bytes; their sum must not exceed <paramref name="packets"/>.Length.</param>
    /// <param name="remote">Destination address and port.</param>
    /// <returns>Datagrams the kernel accepted (the first ones; a failure drops the rest of the batch).</returns>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="MaxBatch"/> datagrams, or lengths beyond the buffer.</exception>
    public int SendBatch(ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lengths.Length, MaxBatch);
        long total = 0;
        foreach (int length in lengths)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length);
            total += length;
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(total, packets.Length, nameof(lengths));
        if (lengths.IsEmpty) return 0;
        if (!LinuxSockets.IsSupported || lengths.Length == 1) return SendLoop(packets, lengths, remote);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Add(ref _sendErrors, lengths.Length);
            return 0;
        }
        int sent = SendMany(packets, lengths, remote, out int errno);
        Interlocked.Add(ref _packetsSent, sent);
        if (sent < lengths.Length)
        {
            Interlocked.Add(ref _sendErrors, lengths.Length - sent);
            var error = LinuxSockets.ToSocketError(errno);
            if (IsPortUnreachable(error))
            {
                Log.SendPortUnreachable(_logger, LocalEndPoint, remote, error);
                OnPortUnreachable();
            }
            else
            {
                Log.SendFailed(_logger, LocalEndPoint, remote, error);
            }
        }
        return sent;
    }

    private int SendLoop(ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths, IPEndPoint remote)
    {
        int sent = 0, offset = 0;
        foreach (int length in lengths)
        {
            if (!TrySend(packets.Slice(offset, length), remote)) break;
            offset += length;
            sent++;
        }
        return sent;
    }

    private unsafe int SendMany(ReadOnlySpan<byte> packets, ReadOnlySpan<int> lengths, IPEndPoint remote, out int errno)
    {
        errno = 0;
        // A connected socket (the forwarder's) sends without an address; otherwise the peer's sockaddr, kept per peer.
        byte[]? address = remote.Equals(Volatile.Read(ref _connectedTo)) ? null : AddressOf(remote);
        var messages = stackalloc LinuxSockets.MMsgHdr[lengths.Length];
        var iov = stackalloc LinuxSockets.IoVec[lengths.Length];
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
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
                int fd = (int)_socket.SafeHandle.DangerousGetHandle();
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
            if (added) _socket.SafeHandle.DangerousRelease();
        }
    }

    private byte[] AddressOf(IPEndPoint remote)
    {
        if (Volatile.Read(ref _batchAddress) is { } cached && ReferenceEquals(cached.Remote, remote)) return cached.Bytes;
        var socketAddress = remote.Serialize();
        var bytes = socketAddress.Buffer[..socketAddress.Size].ToArray();
        Volatile.Write(ref _batchAddress, new PeerAddress(remote, bytes));
        return bytes;
    }

    private sealed record PeerAddress(IPEndPoint Remote, byte[] Bytes);
}
