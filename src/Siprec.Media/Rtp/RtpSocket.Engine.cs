using System.Net;
using System.Net.Sockets;
using Siprec.Media.Sockets;

namespace Siprec.Media.Rtp;

// Receiving through the shared Linux receive engine instead of a loop per socket.
public sealed partial class RtpSocket
{
    private RtpReceiveEngine.Registration? _registration;

    private void StartOnEngine(RtpPacketHandler onPacket)
    {
        if (Interlocked.CompareExchange(ref _receiveLoop, Task.CompletedTask, null) is not null)
            throw new InvalidOperationException("the RTP receive loop is already running");
        Volatile.Write(ref _registration, RtpReceiveEngine.Shared.Register(_socket, new EngineSink(this, onPacket)));
    }

    // After this no engine thread calls the handler (unless the caller is the handler itself).
    private void StopOnEngine()
    {
        if (Volatile.Read(ref _registration) is { } registration) registration.Engine.Unregister(registration);
    }

    private sealed class EngineSink(RtpSocket owner, RtpPacketHandler onPacket) : RtpReceiveEngine.IDatagramSink
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
        {
            Interlocked.Increment(ref owner._packetsReceived);
            try
            {
                onPacket(datagram, remote);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(owner._logger, ex, owner.LocalEndPoint);
            }
        }

        public void OnReceiveError(SocketError error)
        {
            // ICMP port unreachable and truncated datagrams concern one packet, not the socket (as in the managed loop).
            Interlocked.Increment(ref owner._receiveErrors);
            Log.ReceiveErrorIgnored(owner._logger, owner.LocalEndPoint, error);
            if (IsPortUnreachable(error)) owner.OnPortUnreachable();
        }
    }
}
