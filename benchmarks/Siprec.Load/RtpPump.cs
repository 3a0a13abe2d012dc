using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Siprec.Media.Codecs;

namespace Siprec.Load;

/// <summary>
/// The callers' RTP (RFC 3550, PCMU, 20 ms): a few shards, each one UDP socket, one pacing thread that sends every
/// call's packets when they are due (never a timer per call), and one thread that drains what the gateway's bot sends
/// back to that socket. Each packet is due at an absolute time (first packet + k × 20 ms), so a late wake-up sends what
/// is due (late, in a burst) and the rate stays 50 pps; a shard more than 1 s behind skips instead, and counts it. The
/// pacing threads run at a raised priority when the harness is root.
/// </summary>
internal sealed class RtpPump : IDisposable
{
    private readonly Shard[] _shards;

    /// <param name="local">Address the shards' sockets bind to.</param>
    /// <param name="shards">How many shards (threads and sockets).</param>
    public RtpPump(IPAddress local, int shards)
    {
        _shards = new Shard[shards];
        for (var i = 0; i < shards; i++) _shards[i] = new Shard(local, i);
    }

    /// <summary>How many shards there are.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>The RTP address of shard <paramref name="shard"/> (what a call on it offers).</summary>
    public IPEndPoint LocalEndPoint(int shard) => _shards[shard].LocalEndPoint;

    /// <summary>Caller RTP packets sent so far.</summary>
    public long PacketsSent => _shards.Sum(s => s.Sent);

    /// <summary>Bot RTP packets received so far.</summary>
    public long PacketsReceived => _shards.Sum(s => s.Received);

    /// <summary>Packets not sent because a pacing thread fell more than 100 ms behind (the generator itself overloaded).</summary>
    public long PacketsSkipped => _shards.Sum(s => s.Skipped);

    /// <summary>
    /// The latest a caller packet went out after it was due since the last call, in ms (a few ms is the sleep
    /// granularity; tens of ms mean the generator itself was starved of CPU and its numbers are suspect).
    /// </summary>
    public double TakeMaxLagMilliseconds() => _shards.Max(s => s.TakeMaxLag()) * 1000.0 / Stopwatch.Frequency;

    /// <summary>sendto(2) failures.</summary>
    public long SendErrors => _shards.Sum(s => s.SendErrors);

    /// <summary>Starts sending the call's RTP now, to its <see cref="LoadCall.RtpTargetAddress"/>.</summary>
    public void Add(LoadCall call) => _shards[call.Shard].Add(call);

    /// <summary>Stops sending the call's RTP.</summary>
    public void Remove(LoadCall call) => _shards[call.Shard].Remove(call);

    /// <summary>Stops the threads and closes the sockets.</summary>
    public void Dispose()
    {
        foreach (var shard in _shards) shard.Dispose();
    }

    private sealed class Shard : IDisposable
    {
        private const int HeaderLength = 12;
        private const int SamplesPerPacket = 160;
        private static readonly long Period = Stopwatch.Frequency / 50;
        // Behind by more than this, the generator skips (and counts) rather than bursting seconds of audio at once.
        private static readonly long MaxLag = Stopwatch.Frequency;
        private static readonly byte[] Tone = MakeTone();

        private readonly Socket _socket;
        private readonly Thread _sender;
        private readonly Thread _receiver;
        private readonly object _writers = new();
        private volatile LoadCall[] _calls = [];
        private volatile bool _stopping;
        private long _sent;
        private long _received;
        private long _skipped;
        private long _sendErrors;
        private long _maxLag;

        public Shard(IPAddress local, int index)
        {
            _socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            {
                // Room for bursts both ways: 1,000 calls at 50 pps are 50,000 packets a second through one socket.
                SendBufferSize = 4 << 20,
                ReceiveBufferSize = 4 << 20,
                ReceiveTimeout = 250,
            };
            _socket.Bind(new IPEndPoint(local, 0));
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _sender = new Thread(Send) { IsBackground = true, Name = $"rtp-send-{index}", Priority = ThreadPriority.AboveNormal };
            _receiver = new Thread(Receive) { IsBackground = true, Name = $"rtp-recv-{index}" };
            _sender.Start();
            _receiver.Start();
        }

        public IPEndPoint LocalEndPoint { get; }

        public long Sent => Interlocked.Read(ref _sent);

        public long Received => Interlocked.Read(ref _received);

        public long Skipped => Interlocked.Read(ref _skipped);

        public long SendErrors => Interlocked.Read(ref _sendErrors);

        public long TakeMaxLag() => Interlocked.Exchange(ref _maxLag, 0);

        public void Add(LoadCall call)
        {
            call.NextDue = Stopwatch.GetTimestamp();
            call.RtpActive = true;
            lock (_writers) _calls = [.. _calls, call];
        }

        public void Remove(LoadCall call)
        {
            call.RtpActive = false;
            lock (_writers) _calls = _calls.Where(c => !ReferenceEquals(c, call)).ToArray();
        }

        public void Dispose()
        {
            _stopping = true;
            _sender.Join();
            _receiver.Join();
            _socket.Dispose();
        }

        private void Send()
        {
            // The generator stands in for the network: it must not be the one that is late when the machine is busy.
            ThreadNice.TryRaise();
            var packet = new byte[HeaderLength + SamplesPerPacket];
            while (!_stopping)
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var call in _calls)
                {
                    if (!call.RtpActive || call.RtpTargetAddress is not { } target) continue;
                    var due = call.NextDue;
                    if (due > now) continue;
                    RecordLag(now - due);
                    if (now - due > MaxLag)
                    {
                        var behind = (now - due) / Period;
                        Interlocked.Add(ref _skipped, behind);
                        call.Sequence += (ushort)behind;
                        call.Timestamp += (uint)(behind * SamplesPerPacket);
                        due += behind * Period;
                    }
                    for (; due <= now; due += Period) SendOne(call, target, packet);
                    call.NextDue = due;
                }
                // Calls start at spread-out times, so something is due within the next millisecond or two.
                Thread.Sleep(1);
            }
        }

        private void RecordLag(long lag)
        {
            var seen = Interlocked.Read(ref _maxLag);
            while (lag > seen)
            {
                var before = Interlocked.CompareExchange(ref _maxLag, lag, seen);
                if (before == seen) return;
                seen = before;
            }
        }

        private void SendOne(LoadCall call, SocketAddress target, byte[] packet)
        {
            packet[0] = 0x80;
            packet[1] = (byte)(call.FirstPacket ? 0x80 | G711.PcmuPayloadType : G711.PcmuPayloadType);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), call.Sequence);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), call.Timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), call.Ssrc);
            Tone.AsSpan((int)(call.Timestamp % (uint)Tone.Length), SamplesPerPacket).CopyTo(packet.AsSpan(HeaderLength));
            try
            {
                _socket.SendTo(packet, SocketFlags.None, target);
                Interlocked.Increment(ref _sent);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _sendErrors);
            }
            call.FirstPacket = false;
            call.Sequence++;
            call.Timestamp += SamplesPerPacket;
        }

        // Drains the socket, then sleeps a millisecond while packets keep coming, and parks in poll(2) only when none
        // came. On loopback the sender of a datagram pays for waking a parked receiver; a generator that parks after every
        // packet would bill the gateway for waking the harness, a cost no real caller's network puts on it.
        private void Receive()
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(_socket.AddressFamily);
            while (!_stopping)
            {
                try
                {
                    var drained = 0;
                    while (_socket.Available > 0)
                    {
                        if (_socket.ReceiveFrom(buffer, SocketFlags.None, from) >= HeaderLength) Interlocked.Increment(ref _received);
                        drained++;
                    }
                    if (drained > 0) Thread.Sleep(1);
                    else _socket.Poll(TimeSpan.FromMilliseconds(250), SelectMode.SelectRead);
                }
                catch (SocketException)
                {
                    // An ICMP error for a call already gone.
                }
            }
        }

        // One second of a 425 Hz tone at -12 dBFS: not silence, so a forwarder cannot get away with a shortcut for it,
        // and 8,000 samples are a whole number of 160-sample packets.
        private static byte[] MakeTone()
        {
            var pcm = new short[8000];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)(8192 * Math.Sin(2 * Math.PI * 425 * i / 8000.0));
            var ulaw = new byte[pcm.Length];
            G711.EncodeMuLaw(pcm, ulaw);
            return ulaw;
        }
    }
}
