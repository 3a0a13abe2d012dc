using System.Net;
using System.Text;
using Siprec.Media.Rtp;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recording.Tests.Fakes;

/// <summary>
/// A minimal SRS on 127.0.0.1 built on the real UDP transport and transaction layer: answers the SRC's INVITE
/// as configured, mirrors re-INVITE directions, counts the RTP it receives per stream and records every request.
/// </summary>
public sealed class FakeSrs : ITransactionUser, IAsyncDisposable
{
    private readonly FakeSrsBehavior _behavior;
    private readonly TimeSpan _lateDelay;
    private readonly object _gate = new();
    private readonly List<SipRequest> _requests = [];
    private readonly List<SipRequest> _acks = [];
    private readonly CancellationTokenSource _dispose = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ServerTransaction> _cancelled = [];
    private ISipTransport? _transport;
    private TransactionLayer? _layer;

    public FakeSrs(FakeSrsBehavior behavior, TimeSpan? lateDelay = null)
    {
        _behavior = behavior;
        _lateDelay = lateDelay ?? TimeSpan.FromMilliseconds(800);
    }

    public IPEndPoint SipEndPoint => _transport!.LocalEndPoint;

    public string Uri => $"sip:srs@127.0.0.1:{SipEndPoint.Port}";

    public RtpSocket CallerMedia { get; } = RtpSocket.Bind(IPAddress.Loopback);

    public RtpSocket BotMedia { get; } = RtpSocket.Bind(IPAddress.Loopback);

    public Dialog? Dialog { get; private set; }

    /// <summary>Answer every re-INVITE with 488 instead of 200.</summary>
    public bool RejectReinvites { get; set; }

    /// <summary>A Session-Expires value to put in every 2xx to INVITE (RFC 4028), or null for none.</summary>
    public string? SessionExpiresAnswer { get; set; }

    public IPEndPoint? SrcEndPoint { get; private set; }

    public IReadOnlyList<SipRequest> Requests
    {
        get { lock (_gate) return _requests.ToArray(); }
    }

    public IReadOnlyList<SipRequest> Acks
    {
        get { lock (_gate) return _acks.ToArray(); }
    }

    public int CancelledCount
    {
        get { lock (_gate) return _cancelled.Count; }
    }

    /// <summary>Starts the fake; with loseProvisionals every 1xx is dropped on the way out (a lost 100 Trying).</summary>
    public static async Task<FakeSrs> StartAsync(FakeSrsBehavior behavior, TimeSpan? lateDelay = null, bool loseProvisionals = false)
    {
        var srs = new FakeSrs(behavior, lateDelay);
        ISipTransport udp = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0));
        srs._transport = loseProvisionals ? new ProvisionalDroppingTransport(udp) : udp;
        srs._layer = new TransactionLayer(srs._transport, srs, TimeProvider.System, new SipTransactionOptions());
        srs._layer.Start();
        srs.CallerMedia.Start((_, _) => { });
        srs.BotMedia.Start((_, _) => { });
        await Task.Yield();
        return srs;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for a received request matching <paramref name="match"/>.</summary>
    public Task<SipRequest> WaitForRequestAsync(Func<SipRequest, bool> match, TimeSpan timeout) =>
        WaitAsync(() => _requests.FirstOrDefault(match), timeout);

    /// <summary>Waits for the n-th (1-based) request of a method.</summary>
    public Task<SipRequest> WaitForAsync(string method, int nth = 1, TimeSpan? timeout = null) =>
        WaitAsync(() => _requests.Where(r => r.Method == method).Skip(nth - 1).FirstOrDefault(), timeout ?? TimeSpan.FromSeconds(5));

    /// <summary>Waits for the n-th ACK.</summary>
    public Task<SipRequest> WaitForAckAsync(int nth = 1, TimeSpan? timeout = null) =>
        WaitAsync(() => _acks.Skip(nth - 1).FirstOrDefault(), timeout ?? TimeSpan.FromSeconds(5));

    private async Task<SipRequest> WaitAsync(Func<SipRequest?> find, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (find() is { } found)
                    return found;
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The fake SRS did not receive the expected request within {timeout}.");
            }
        }
    }

    /// <summary>Ends the recording dialog from the SRS side.</summary>
    public Task<TransactionOutcome> SendByeAsync()
    {
        var bye = Dialog!.CreateRequest(SipMethods.Bye);
        return _layer!.SendRequestAsync(bye, SrcEndPoint!);
    }

    /// <summary>Sends an in-dialog request of any method to the SRC.</summary>
    public Task<TransactionOutcome> SendInDialogAsync(string method, string? sdp = null)
    {
        var request = Dialog!.CreateRequest(method);
        if (sdp is not null)
            request = request.WithBody("application/sdp", Encoding.UTF8.GetBytes(sdp));
        return _layer!.SendRequestAsync(request, SrcEndPoint!);
    }

    /// <summary>Sends a request as-is to the SRC (for unknown-dialog tests).</summary>
    public Task<TransactionOutcome> SendRawAsync(SipRequest request, IPEndPoint to) => _layer!.SendRequestAsync(request, to);

    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        Record(request, _requests);
        switch (request.Method)
        {
            case SipMethods.Invite when request.To?.Tag is null:
                await AnswerInitialAsync(transaction);
                break;
            case SipMethods.Invite when RejectReinvites:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 488), cancellationToken);
                break;
            case SipMethods.Invite:
                await transaction.RespondAsync(AnswerOffer(request, null), cancellationToken);
                break;
            default:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 200), cancellationToken);
                break;
        }
    }

    private async Task AnswerInitialAsync(ServerTransaction transaction)
    {
        var request = transaction.Request;
        SrcEndPoint = transaction.Incoming.Remote;
        switch (_behavior)
        {
            case FakeSrsBehavior.Reject486:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 486, toTag: SipIds.NewTag()));
                return;
            case FakeSrsBehavior.Silent:
                return;
            case FakeSrsBehavior.AcceptLate:
                try
                {
                    await Task.Delay(_lateDelay, _dispose.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                break;
        }

        var tag = SipIds.NewTag();
        var contact = SipUri.Parse($"sip:srs@127.0.0.1:{SipEndPoint.Port}");
        Dialog = Dialog.CreateAsUas(request, tag, contact);
        try
        {
            await transaction.RespondAsync(AnswerOffer(request, tag));
        }
        catch (Exception) when (_behavior == FakeSrsBehavior.AcceptLate)
        {
            // The transaction may already be final (CANCEL answered by the layer); nothing else to do.
        }
    }

    private SipResponse AnswerOffer(SipRequest request, string? tag)
    {
        var offer = ReadOfferDirection(request);
        var direction = offer == SdpDirection.Inactive ? "inactive" : "recvonly";
        var sdp = string.Join("\r\n",
            "v=0", "o=srs 1 1 IN IP4 127.0.0.1", "s=fake srs", "c=IN IP4 127.0.0.1", "t=0 0",
            $"m=audio {CallerMedia.LocalEndPoint.Port} RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=" + direction, "a=label:1",
            $"m=audio {BotMedia.LocalEndPoint.Port} RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=" + direction, "a=label:2", "");
        var response = SipResponse.CreateFor(request, 200, toTag: tag)
            .AddHeader("Contact", $"<sip:srs@127.0.0.1:{SipEndPoint.Port}>")
            .WithBody("application/sdp", Encoding.UTF8.GetBytes(sdp));
        return SessionExpiresAnswer is { } se ? response.AddHeader("Session-Expires", se).AddHeader("Require", "timer") : response;
    }

    /// <summary>The direction of the first m-line of the SDP in the request (plain or multipart).</summary>
    public static SdpDirection? ReadOfferDirection(SipRequest request) => ReadSdp(request)?.Media.FirstOrDefault()?.Direction;

    /// <summary>The SDP in a request, plain or inside multipart/mixed.</summary>
    public static SdpSession? ReadSdp(SipRequest request) => InviteShape.TryReadParts(request, out var sdp, out _) ? sdp : null;

    public void OnAck(IncomingMessage ack)
    {
        if (ack.Message is SipRequest request)
            Record(request, _acks);
    }

    public void OnStrayResponse(IncomingMessage response)
    {
    }

    public void OnCancelled(ServerTransaction inviteTransaction)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _cancelled.Add(inviteTransaction);
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>Waits until the layer reported a CANCEL of our INVITE transaction.</summary>
    public Task WaitForCancelAsync(TimeSpan timeout) =>
        WaitAsync(() => _cancelled.Count > 0 ? _cancelled[0].Request : null, timeout);

    private void Record(SipRequest request, List<SipRequest> into)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            into.Add(request);
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _dispose.Cancel();
        if (_layer is not null)
            await _layer.DisposeAsync();
        if (_transport is not null)
            await _transport.DisposeAsync();
        await CallerMedia.DisposeAsync();
        await BotMedia.DisposeAsync();
    }
}
