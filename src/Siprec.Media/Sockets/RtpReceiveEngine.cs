using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Siprec.Media.Sockets;

/// <summary>
/// Receives the datagrams of every registered UDP socket on a small fixed set of threads (half the cores, 1 to 4): each
/// thread waits on its own epoll(7) set and drains a ready socket with recvmmsg(2), up to <see cref="Batch"/> datagrams per
/// system call, into native buffers it owns, so a packet costs no allocation and no thread-pool hop. This replaces one
/// async receive loop per socket (a completion, a continuation and a wake-up per packet). Linux only
/// (<see cref="LinuxSockets.IsSupported"/>); elsewhere sockets keep their managed receive loop.
/// </summary>
/// <remarks>
/// <para>
/// Receive coalescing: after a wait that found datagrams, a thread sleeps <see cref="CoalesceInterval"/> and then polls
/// without blocking, and blocks in epoll_wait again only when a poll finds nothing. While busy it is therefore never
/// parked on a socket's wait queue, so the kernel does not wake it for each datagram; the sender of every datagram to
/// a parked reader pays for that wake-up (an inter-processor interrupt, a VM exit on a virtual machine), which the
/// issue-14 profile measured at about a quarter of the gateway's CPU. The cost is at most about a millisecond of added
/// delay per datagram, a twentieth of a 20 ms packet interval, and nothing when idle.
/// </para>
/// <para>
/// A socket's thread is chosen by its port pair (port ÷ 2): an RTP socket and its RTCP socket (RFC 3550 §11, port and
/// port + 1) share a thread, and consecutive pairs go to different threads. Plain round robin put every RTP socket of a
/// recording server on one thread and every RTCP socket on the other, since sockets are registered RTP, RTCP, RTP, …
/// </para>
/// </remarks>
internal sealed unsafe class RtpReceiveEngine
{
    /// <summary>Datagrams one recvmmsg call may return.</summary>
    public const int Batch = 16;
    /// <summary>Bytes per receive buffer: above any RTP/RTCP packet on an Ethernet path; longer datagrams are truncated and counted.</summary>
    public const int BufferSize = 4096;
    private const int EventsPerWait = 64;
    private const int WaitMilliseconds = 200;

    /// <summary>How long a thread that found datagrams sleeps before it polls again: 1 ms (see the remarks).</summary>
    public static readonly TimeSpan CoalesceInterval = TimeSpan.FromMilliseconds(1);
    private const int SockAddrSize = 28; // sockaddr_in6, the larger of the two families

    /// <summary>How long <see cref="Unregister"/> waits for a sink that is running: 2 s.</summary>
    public static readonly TimeSpan UnregisterWait = TimeSpan.FromSeconds(2);

    private static readonly Lazy<RtpReceiveEngine> Instance = new(() => new RtpReceiveEngine(Threading.MediaThreads.PerEngine));

    private readonly Worker[] _workers;
    private readonly ConcurrentDictionary<long, Registration> _registrations = new();
    private long _nextId;

    private RtpReceiveEngine(int threads)
    {
        _workers = new Worker[threads];
        for (int i = 0; i < threads; i++) _workers[i] = new Worker(this, i);
    }

    /// <summary>The process's engine (threads start on first use and live with the process).</summary>
    public static RtpReceiveEngine Shared => Instance.Value;

    /// <summary>Receive threads.</summary>
    public int Threads => _workers.Length;

    /// <summary>
    /// Starts delivering <paramref name="socket"/>'s datagrams to <paramref name="sink"/> on an engine thread. The socket
    /// must be non-blocking and must not be used with managed receive calls.
    /// </summary>
    /// <exception cref="SocketException">epoll refused the socket.</exception>
    public Registration Register(Socket socket, IDatagramSink sink)
    {
        var worker = _workers[socket.LocalEndPoint is IPEndPoint local ? WorkerIndexOf(local.Port, _workers.Length) : 0];
        var registration = new Registration(this, worker, Interlocked.Increment(ref _nextId), socket, sink);
        _registrations[registration.Id] = registration;
        bool added = false;
        socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            byte* ev = stackalloc byte[16];
            new Span<byte>(ev, 16).Clear();
            *(uint*)ev = LinuxSockets.EpollIn;
            *(long*)(ev + LinuxSockets.EpollDataOffset) = registration.Id;
            if (LinuxSockets.epoll_ctl(worker.Epoll, LinuxSockets.EpollCtlAdd, (int)socket.SafeHandle.DangerousGetHandle(), ev) != 0)
            {
                _registrations.TryRemove(registration.Id, out _);
                throw new SocketException(Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            if (added) socket.SafeHandle.DangerousRelease();
        }
        return registration;
    }

    /// <summary>
    /// Stops delivering a socket's datagrams: no engine thread enters its sink afterwards, and one that is inside it is
    /// waited for (unless the caller is that sink) for at most <see cref="UnregisterWait"/>, so a sink blocked on a lock
    /// the caller holds cannot hang the caller. Call before closing the socket.
    /// </summary>
    public void Unregister(Registration registration)
    {
        if (registration.Removed) return;
        registration.Removed = true; // checked before every datagram
        if (Monitor.TryEnter(registration.Gate, UnregisterWait)) Monitor.Exit(registration.Gate);
        _registrations.TryRemove(registration.Id, out _);
        bool added = false;
        try
        {
            registration.Socket.SafeHandle.DangerousAddRef(ref added);
            LinuxSockets.epoll_ctl(registration.Worker.Epoll, LinuxSockets.EpollCtlDel, (int)registration.Socket.SafeHandle.DangerousGetHandle(), null);
        }
        catch (ObjectDisposedException)
        {
            // Already closed: the kernel removed it from the epoll set.
        }
        finally
        {
            if (added) registration.Socket.SafeHandle.DangerousRelease();
        }
    }

    /// <summary>The thread of a socket: by its port pair (port ÷ 2), so RTP and RTCP share one and pairs alternate.</summary>
    internal static int WorkerIndexOf(int localPort, int workers) => (localPort >> 1) % workers;

    /// <summary>Where an engine thread delivers one socket's datagrams and receive errors.</summary>
    internal interface IDatagramSink
    {
        /// <summary>One datagram; the span is valid only during the call. <paramref name="remote"/> is cached per sender address.</summary>
        void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote);

        /// <summary>A receive error for this socket (ICMP port unreachable, a truncated datagram).</summary>
        void OnReceiveError(SocketError error);
    }

    /// <summary>One registered socket.</summary>
    internal sealed class Registration(RtpReceiveEngine engine, Worker worker, long id, Socket socket, IDatagramSink sink)
    {
        public object Gate { get; } = new();
        public RtpReceiveEngine Engine { get; } = engine;
        public Worker Worker { get; } = worker;
        public long Id { get; } = id;
        public Socket Socket { get; } = socket;
        public IDatagramSink Sink { get; } = sink;
        private volatile bool _removed;

        public bool Removed
        {
            get => _removed;
            set => _removed = value;
        }
        public byte[] LastAddress { get; } = new byte[SockAddrSize];
        public int LastAddressLength { get; set; }
        public IPEndPoint? LastRemote { get; set; }
    }

    /// <summary>One receive thread with its epoll set and its native buffers (allocated once, never freed: the engine lives with the process).</summary>
    internal sealed class Worker
    {
        private readonly RtpReceiveEngine _engine;
        private readonly byte* _events;
        private readonly LinuxSockets.MMsgHdr* _messages;
        private readonly LinuxSockets.IoVec* _iov;
        private readonly byte* _buffers;
        private readonly byte* _addresses;

        public Worker(RtpReceiveEngine engine, int index)
        {
            _engine = engine;
            Epoll = LinuxSockets.epoll_create1(0);
            if (Epoll < 0) throw new SocketException(Marshal.GetLastPInvokeError());
            _events = (byte*)NativeMemory.AllocZeroed((nuint)(EventsPerWait * LinuxSockets.EpollEventSize));
            _messages = (LinuxSockets.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(LinuxSockets.MMsgHdr)));
            _iov = (LinuxSockets.IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(LinuxSockets.IoVec)));
            _buffers = (byte*)NativeMemory.Alloc((nuint)(Batch * BufferSize));
            _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(Batch * SockAddrSize));
            var thread = new Thread(Run) { IsBackground = true, Name = $"rtp-receive-{index}", Priority = ThreadPriority.AboveNormal };
            thread.Start();
        }

        public int Epoll { get; }

        private void Run()
        {
            int timeout = WaitMilliseconds;
            while (true)
            {
                int ready = LinuxSockets.epoll_wait(Epoll, _events, EventsPerWait, timeout);
                for (int i = 0; i < ready; i++)
                {
                    long id = *(long*)(_events + (i * LinuxSockets.EpollEventSize) + LinuxSockets.EpollDataOffset);
                    if (_engine._registrations.TryGetValue(id, out var registration)) Drain(registration);
                }
                if (ready <= 0)
                {
                    timeout = WaitMilliseconds; // nothing came: park on the sockets again (woken by the next datagram)
                }
                else
                {
                    // More ready sockets than one wait returns: take them at once. Otherwise let datagrams gather (remarks).
                    if (ready < EventsPerWait) Thread.Sleep(CoalesceInterval);
                    timeout = 0;
                }
            }
        }

        // Reads until the socket is empty, under the registration's gate so Unregister can wait for us.
        private void Drain(Registration registration)
        {
            lock (registration.Gate)
            {
                if (registration.Removed) return;
                bool added = false;
                try
                {
                    registration.Socket.SafeHandle.DangerousAddRef(ref added);
                    int fd = (int)registration.Socket.SafeHandle.DangerousGetHandle();
                    while (ReceiveBatch(registration, fd) == Batch)
                    {
                    }
                }
                catch (ObjectDisposedException)
                {
                }
                finally
                {
                    if (added) registration.Socket.SafeHandle.DangerousRelease();
                }
            }
        }

        private int ReceiveBatch(Registration registration, int fd)
        {
            for (int i = 0; i < Batch; i++)
            {
                _iov[i].Base = _buffers + (i * BufferSize);
                _iov[i].Length = BufferSize;
                ref var header = ref _messages[i].Header;
                header.Name = _addresses + (i * SockAddrSize);
                header.NameLength = SockAddrSize;
                header.Iov = _iov + i;
                header.IovLength = 1;
                header.Control = null;
                header.ControlLength = 0;
                header.Flags = 0;
                _messages[i].Length = 0;
            }
            int received = LinuxSockets.recvmmsg(fd, _messages, Batch, LinuxSockets.MsgDontWait, null);
            if (received < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is LinuxSockets.EAgain or LinuxSockets.EIntr) return 0;
                registration.Sink.OnReceiveError(LinuxSockets.ToSocketError(errno));
                // An ICMP error is reported once; the next call reads on. Anything else: try again on the next readiness.
                return errno == LinuxSockets.EConnRefused ? Batch : 0;
            }
            for (int i = 0; i < received; i++)
            {
                if (registration.Removed) return 0;
                if ((_messages[i].Header.Flags & LinuxSockets.MsgTrunc) != 0)
                {
                    registration.Sink.OnReceiveError(SocketError.MessageSize);
                    continue;
                }
                var remote = RemoteOf(registration, _addresses + (i * SockAddrSize), (int)_messages[i].Header.NameLength);
                if (remote is null) continue;
                registration.Sink.OnDatagram(new ReadOnlySpan<byte>(_buffers + (i * BufferSize), (int)_messages[i].Length), remote);
            }
            return received;
        }

        // One IPEndPoint per sender address, not per packet: RTP comes from one peer.
        private static IPEndPoint? RemoteOf(Registration registration, byte* address, int length)
        {
            var raw = new ReadOnlySpan<byte>(address, Math.Min(length, SockAddrSize));
            if (registration.LastRemote is { } last && registration.LastAddressLength == raw.Length
                && raw.SequenceEqual(registration.LastAddress.AsSpan(0, raw.Length)))
            {
                return last;
            }
            if (raw.Length < 2) return null;
            var family = *(ushort*)address switch
            {
                LinuxSockets.AfInet => AddressFamily.InterNetwork,
                LinuxSockets.AfInet6 => AddressFamily.InterNetworkV6,
                _ => AddressFamily.Unknown,
            };
            if (family == AddressFamily.Unknown) return null;
            var socketAddress = new SocketAddress(family, raw.Length);
            raw.CopyTo(socketAddress.Buffer.Span);
            var remote = (IPEndPoint)new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0).Create(socketAddress);
            raw.CopyTo(registration.LastAddress);
            registration.LastAddressLength = raw.Length;
            registration.LastRemote = remote;
            return remote;
        }
    }
}
