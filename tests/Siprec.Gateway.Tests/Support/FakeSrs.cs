using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Siprec.Media.Rtp;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Tests.Support;

/// <summary>How the fake SRS answers a new recording INVITE.</summary>
public enum FakeSrsMode
{
    /// <summary>200 with two recvonly audio m-lines on real RTP sockets.</summary>
    Accept,

    /// <summary>486 Busy Here.</summary>
    Busy,

    /// <summary>Never answers (the SRC's timeout and CANCEL do the rest).</summary>
    Silent,
}

/// <summary>A tiny SRS on 127.0.0.1 built on Siprec.Sip: answers per <see cref="FakeSrsMode"/>, counts what it receives.</summary>
public sealed class FakeSrs : ITransactionUser, IAsyncDisposable
{
    private readonly FakeSrsMode _mode;
    private readonly TimeSpan _answerDelay;
    private readonly UdpSipTransport _transport;
    private readonly TransactionLayer _layer;
    private readonly RtpSocket _stream1;
    private readonly RtpSocket _stream2;
    private long _packets1;
    private long _packets2;

    private FakeSrs(FakeSrsMode mode, string user, TimeSpan answerDelay)
    {
        _mode = mode;
        _answerDelay = answerDelay;
        _transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0));
        _layer = new TransactionLayer(_transport, this, TimeProvider.System, new SipTransactionOptions());
        _stream1 = RtpSocket.Bind(IPAddress.Loopback);
        _stream2 = RtpSocket.Bind(IPAddress.Loopback);
        _stream1.Start((_, _) => { Interlocked.Increment(ref _packets1); RtpSeen.TrySetResult(); });
        _stream2.Start((_, _) => { Interlocked.Increment(ref _packets2); RtpSeen.TrySetResult(); });
        Uri = $"sip:{user}@{_transport.LocalEndPoint}";
        _layer.Start();
    }

    /// <summary>Starts a fake SRS whose URI user part is <paramref name="user"/>; an accepting one waits <paramref name="answerDelay"/> before its 200.</summary>
    public static FakeSrs Start(FakeSrsMode mode, string user = "srs", TimeSpan? answerDelay = null) => new(mode, user, answerDelay ?? TimeSpan.Zero);

    /// <summary>The SRS's SIP URI.</summary>
    public string Uri { get; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<SipRequest> Requests { get; } = new();

    /// <summary>Initial INVITEs received.</summary>
    public int Invites => Requests.Count(r => r.Method == SipMethods.Invite && r.To?.Tag is null);

    /// <summary>re-INVITEs received (pause/resume).</summary>
    public IReadOnlyList<SipRequest> ReInvites => Requests.Where(r => r.Method == SipMethods.Invite && r.To?.Tag is not null).ToList();

    /// <summary>RTP packets received on the first (caller) and second (bot) stream.</summary>
    public (long Stream1, long Stream2) RtpPackets => (Interlocked.Read(ref _packets1), Interlocked.Read(ref _packets2));

    /// <summary>Completes at the first initial INVITE.</summary>
    public TaskCompletionSource<SipRequest> InviteSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the first BYE.</summary>
    public TaskCompletionSource ByeSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the first RTP packet.</summary>
    public TaskCompletionSource RtpSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        Requests.Enqueue(request);
        if (request.Method == SipMethods.Bye)
        {
            await transaction.RespondAsync(SipResponse.CreateFor(request, 200), cancellationToken);
            ByeSeen.TrySetResult();
            return;
        }
        if (request.Method != SipMethods.Invite)
        {
            await transaction.RespondAsync(SipResponse.CreateFor(request, 200), cancellationToken);
            return;
        }
        var initial = request.To?.Tag is null;
        if (initial)
        {
            InviteSeen.TrySetResult(request);
        }
        if (initial && _mode == FakeSrsMode.Silent)
        {
            return;
        }
        if (initial && _mode == FakeSrsMode.Busy)
        {
            await transaction.RespondAsync(SipResponse.CreateFor(request, 486, toTag: SipIds.NewTag()), cancellationToken);
            return;
        }
        if (initial && _answerDelay > TimeSpan.Zero)
        {
            await Task.Delay(_answerDelay, cancellationToken);
        }
        var inactive = Encoding.UTF8.GetString(request.Body.Span).Contains("a=inactive", StringComparison.Ordinal);
        var ok = SipResponse.CreateFor(request, 200, toTag: initial ? SipIds.NewTag() : null)
            .AddHeader("Contact", $"<{Uri}>")
            .WithBody("application/sdp", Answer(inactive ? SdpDirection.Inactive : SdpDirection.RecvOnly));
        await transaction.RespondAsync(ok, cancellationToken);
    }

    /// <inheritdoc />
    public void OnAck(IncomingMessage ack)
    {
    }

    /// <inheritdoc />
    public void OnStrayResponse(IncomingMessage response)
    {
    }

    /// <inheritdoc />
    public void OnCancelled(ServerTransaction inviteTransaction)
    {
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _layer.DisposeAsync();
        await _stream1.DisposeAsync();
        await _stream2.DisposeAsync();
    }

    private byte[] Answer(SdpDirection direction)
    {
        var attribute = new SdpAttribute(direction == SdpDirection.Inactive ? "inactive" : "recvonly", null);
        SdpMediaDescription Media(RtpSocket socket) =>
            new("audio", socket.LocalEndPoint.Port, "RTP/AVP", ["0"], null, [new SdpAttribute("rtpmap", "0 PCMU/8000"), attribute]);
        return new SdpSession(new SdpOrigin("fake-srs", 1, 1, "IN", "IP4", "127.0.0.1"), "-", new SdpConnection("IN", "IP4", "127.0.0.1"),
            [], [Media(_stream1), Media(_stream2)]).ToBytes();
    }
}
