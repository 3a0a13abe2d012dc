using System.Runtime.InteropServices;

namespace Siprec.Media.Sockets;

/// <summary>
/// The Linux system calls of the batched RTP paths (epoll(7), recvmmsg(2), sendmmsg(2)) and their 64-bit structures.
/// Used only where <see cref="IsSupported"/> holds; everything else takes the managed socket paths.
/// </summary>
internal static unsafe partial class LinuxSockets
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const uint EpollErr = 0x008;
    public const int MsgDontWait = 0x40;
    public const int MsgTrunc = 0x20;
    public const int EAgain = 11;
    public const int EIntr = 4;
    public const int EConnRefused = 111;
    public const int EHostUnreach = 113;
    public const int ENetUnreach = 101;
    public const int AfInet = 2;
    public const int AfInet6 = 10;

    /// <summary>Linux on a 64-bit x64 or Arm64 process, and not switched off with <c>SIPREC_RTP_SYSCALLS=0</c>.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
        && Environment.GetEnvironmentVariable("SIPREC_RTP_SYSCALLS") != "0";

    /// <summary>Bytes of one <c>struct epoll_event</c>: packed (12) on x86-64, naturally aligned (16) elsewhere.</summary>
    public static int EpollEventSize { get; } = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of <c>data</c> in <c>struct epoll_event</c>.</summary>
    public static int EpollDataOffset { get; } = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>The <see cref="System.Net.Sockets.SocketError"/> of a send or receive errno, as .NET's sockets would report it.</summary>
    public static System.Net.Sockets.SocketError ToSocketError(int errno) => errno switch
    {
        EConnRefused => System.Net.Sockets.SocketError.ConnectionRefused,
        EHostUnreach => System.Net.Sockets.SocketError.HostUnreachable,
        ENetUnreach => System.Net.Sockets.SocketError.NetworkUnreachable,
        EAgain => System.Net.Sockets.SocketError.WouldBlock,
        _ => System.Net.Sockets.SocketError.SocketError,
    };

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int recvmmsg(int sockfd, MMsgHdr* msgvec, uint vlen, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sendmmsg(int sockfd, MMsgHdr* msgvec, uint vlen, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (64-bit layout, 56 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct mmsghdr</c>: a message header and the bytes the call moved for it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
