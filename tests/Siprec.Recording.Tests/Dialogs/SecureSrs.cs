using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Siprec.Media.Rtcp;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

/// <summary>
/// An SRS that listens on TLS only and accepts RTP/SAVP: it takes the SRC's SDES key from each m-line, answers
/// with a fresh key of its own, and authenticates and decrypts what arrives with <see cref="SrtpContext"/>. On each
/// stream's RTCP port (RTP + 1) it reads the SRC's SRTCP sender reports and answers each with an SRTCP receiver report
/// (no loss) under its own key (RFC 3711 §3.4).
/// </summary>
internal sealed class SecureSrs : ITransactionUser, IAsyncDisposable
{
    private readonly TlsSipTransport _transport;
    private readonly TransactionLayer _layer;
    private const uint Ssrc = 0x5EC0DE;
    private readonly RtpSocket[] _media = new RtpSocket[2];
    private readonly RtpSocket[] _rtcp = new RtpSocket[2];
    private readonly SrtpContext?[] _receivers = new SrtpContext?[2];
    private readonly SrtpContext?[] _senders = new SrtpContext?[2];
    private readonly long[] _decrypted = new long[2];
    private readonly long[] _rejected = new long[2];
    private readonly long[] _senderReports = new long[2];

    public SecureSrs(TestCertificates certificates)
    {
        _transport = new TlsSipTransport(new IPEndPoint(IPAddress.Loopback, 0), new TlsOptions { ServerCertificate = certificates.Server });
        _layer = new TransactionLayer(_transport, this, TimeProvider.System, new SipTransactionOptions());
        _layer.Start();
        for (var i = 0; i < _media.Length; i++)
        {
            var stream = i;
            (_media[i], _rtcp[i]) = RtpSocket.BindPair(IPAddress.Loopback);
            _media[i].Start((packet, _) => OnMedia(stream, packet));
            _rtcp[i].Start((packet, remote) => OnRtcp(stream, packet, remote));
        }
    }

    public string Uri => $"sips:srs@127.0.0.1:{_transport.LocalEndPoint.Port}";

    public ConcurrentQueue<SipRequest> Requests { get; } = new();

    /// <summary>The SRC's SDES attribute per m-line, as offered.</summary>
    public SdesCrypto?[] OfferedCrypto { get; } = new SdesCrypto?[2];

    public string?[] OfferedProtocols { get; } = new string?[2];

    public long Decrypted(int stream) => Interlocked.Read(ref _decrypted[stream]);

    public long Rejected(int stream) => Interlocked.Read(ref _rejected[stream]);

    /// <summary>SRTCP sender reports that authenticated with the SRC's key on <paramref name="stream"/>.</summary>
    public long SenderReports(int stream) => Interlocked.Read(ref _senderReports[stream]);

    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        Requests.Enqueue(request);
        if (request.Method != SipMethods.Invite || request.To?.Tag is not null)
        {
            await transaction.RespondAsync(SipResponse.CreateFor(request, 200), cancellationToken);
            return;
        }

        Assert.True(SiprecBody.TryReadParts(request, out var offer, out _));
        var lines = new List<string> { "v=0", "o=srs 1 1 IN IP4 127.0.0.1", "s=secure srs", "c=IN IP4 127.0.0.1", "t=0 0" };
        for (var i = 0; i < 2 && i < offer!.Media.Count; i++)
        {
            var m = offer.Media[i];
            OfferedProtocols[i] = m.Protocol;
            if (SdesCrypto.TryParse(m.GetAttribute("crypto"), out var crypto, out _))
            {
                OfferedCrypto[i] = crypto;
                _receivers[i] = new SrtpContext(crypto!.MasterKey, crypto.Suite);
            }
            var answerKey = SdesCrypto.CreateRandom(crypto?.Tag ?? 1);
            Volatile.Write(ref _senders[i], new SrtpContext(answerKey.MasterKey, answerKey.Suite));
            lines.AddRange([$"m=audio {_media[i].LocalEndPoint.Port} RTP/SAVP 0", "a=rtpmap:0 PCMU/8000", "a=recvonly", "a=label:" + m.Label,
                "a=crypto:" + answerKey.FormatAttributeValue()]);
        }
        var tag = SipIds.NewTag();
        var response = SipResponse.CreateFor(request, 200, toTag: tag)
            .AddHeader("Contact", $"<sips:srs@127.0.0.1:{_transport.LocalEndPoint.Port}>")
            .WithBody("application/sdp", Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));
        await transaction.RespondAsync(response, cancellationToken);
    }

    public void OnAck(IncomingMessage ack)
    {
    }

    public void OnStrayResponse(IncomingMessage response)
    {
    }

    public void OnCancelled(ServerTransaction inviteTransaction)
    {
    }

    private void OnMedia(int stream, ReadOnlySpan<byte> packet)
    {
        var receiver = Volatile.Read(ref _receivers[stream]);
        var buffer = new byte[packet.Length];
        if (receiver is not null && receiver.TryUnprotect(packet, buffer, out var length) && RtpHeader.TryRead(buffer.AsSpan(0, length), out var header, out _) && header.PayloadType == 0)
            Interlocked.Increment(ref _decrypted[stream]);
        else
            Interlocked.Increment(ref _rejected[stream]);
    }

    private void OnRtcp(int stream, ReadOnlySpan<byte> packet, IPEndPoint remote)
    {
        var receiver = Volatile.Read(ref _receivers[stream]);
        var sender = Volatile.Read(ref _senders[stream]);
        var buffer = new byte[packet.Length];
        if (receiver is null || sender is null || !receiver.TryUnprotectRtcp(packet, buffer, out var length)
            || !RtcpCompoundPacket.TryRead(buffer.AsSpan(0, length), out var compound) || compound!.Packets[0] is not RtcpSenderReport sr)
            return;
        Interlocked.Increment(ref _senderReports[stream]);
        var block = new RtcpReportBlock(sr.Ssrc, 0, 0, sr.PacketCount, 0, sr.NtpTimestamp.Middle32, 0);
        var answer = new RtcpCompoundPacket([new RtcpReceiverReport(Ssrc, [block]), new RtcpSourceDescription(Ssrc, "secure-srs")]);
        var bytes = new byte[answer.Length + SrtpContext.RtcpOverhead];
        Assert.True(sender.TryProtectRtcp(bytes.AsSpan(0, answer.Write(bytes)), bytes, out var written));
        _rtcp[stream].Send(bytes.AsSpan(0, written), remote);
    }

    public async ValueTask DisposeAsync()
    {
        await _layer.DisposeAsync();
        foreach (var socket in _media.Concat(_rtcp)) await socket.DisposeAsync();
        foreach (var context in _receivers.Concat(_senders)) context?.Dispose();
    }
}
