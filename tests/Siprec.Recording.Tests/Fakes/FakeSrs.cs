using System.Net;
using System.Text;
using Siprec.Media.Rtp;
using Siprec.Sip.Bodies;
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
    private bool _tcp;
    private TransactionLayer? _layer;

    public FakeSrs(FakeSrsBehavior behavior, TimeSpan? lateDelay = null)
    {
        _behavior = behavior;
        _lateDelay = lateDelay ?? TimeSpan.FromMilliseconds(800);
    }

    public IPEndPoint SipEndPoint => _transport!.LocalEndPoint;

    public string Uri => $"sip:srs@127.0.0.1:{SipEndPoint.Port}" + (_tcp ? ";transport=tcp" : "");

    /// <summary>Challenge every initial INVITE without credentials with 401 (RFC 3261 §22.2): user, password, realm.</summary>
    public (string User, string Password, string Realm)? RequireDigest { get; set; }

    /// <summary>Also challenge in-dialog re-INVITEs and BYEs (with <see cref="RequireDigest"/>).</summary>
    public bool ChallengeInDialog { get; set; }

    /// <summary>The nonce of the 401 challenge.</summary>
    public const string Nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";

    public RtpSocket CallerMedia { get; } = RtpSocket.Bind(IPAddress.Loopback);

    public RtpSocket BotMedia { get; } = RtpSocket.Bind(IPAddress.Loopback);

    public Dialog? Dialog { get; private set; }

    /// <summary>Answer every re-INVITE with 488 instead of 200.</summary>
    public bool RejectReinvites { get; set; }

    /// <summary>List UPDATE in the Allow header of every 2xx (the SRC then sends metadata updates by UPDATE).</summary>
    public bool AllowUpdate { get; set; }

    /// <summary>Answer the initial INVITE with a multipart/mixed body (SDP plus a metadata part).</summary>
    public bool MultipartAnswer { get; set; }

    /// <summary>Leave a=label out of every answer.</summary>
    public bool OmitLabels { get; set; }

    /// <summary>m-line positions (0-based) answered with port 0.</summary>
    public HashSet<int> DeclinedStreams { get; } = [];

    /// <summary>A fixed direction to answer every re-INVITE with, whatever was offered (e.g. recvonly to a pause).</summary>
    public string? ReinviteAnswerDirection { get; set; }

    /// <summary>Answer the first initial INVITE with 422 and this Min-SE (RFC 4028).</summary>
    public int? RejectWithMinSe { get; set; }

    /// <summary>Answer the next re-INVITE with 491 (glare).</summary>
    public bool GlareOnce { get; set; }

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
    public static async Task<FakeSrs> StartAsync(FakeSrsBehavior behavior, TimeSpan? lateDelay = null, bool loseProvisionals = false, bool tcp = false)
    {
        var srs = new FakeSrs(behavior, lateDelay) { _tcp = tcp };
        ISipTransport udp = tcp ? new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)) : new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0));
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

    /// <summary>Sends an in-dialog request of any method to the SRC, with an optional SDP body; a 2xx to INVITE is ACKed.</summary>
    public Task<TransactionOutcome> SendInDialogAsync(string method, string? sdp = null) =>
        SendInDialogAsync(method, sdp is null ? null : "application/sdp", sdp is null ? null : Encoding.UTF8.GetBytes(sdp));

    /// <summary>Sends an in-dialog request with any body and extra headers; ACKs a 2xx to INVITE.</summary>
    public async Task<TransactionOutcome> SendInDialogAsync(string method, string? contentType, byte[]? body,
        IEnumerable<KeyValuePair<string, string>>? headers = null, string? ackSdp = null)
    {
        var request = Dialog!.CreateRequest(method);
        foreach (var (name, value) in headers ?? [])
            request = request.AddHeader(name, value);
        if (contentType is not null && body is not null)
            request = request.WithBody(contentType, body);
        var outcome = await _layer!.SendRequestAsync(request, SrcEndPoint!);
        if (method == SipMethods.Invite && outcome.IsSuccess)
        {
            var ack = Dialog.CreateAck(request.CSeq!.Value.Sequence);
            if (ackSdp is not null)
                ack = ack.WithBody("application/sdp", Encoding.UTF8.GetBytes(ackSdp));
            await _layer.SendAckAsync(ack, SrcEndPoint!);
        }

        return outcome;
    }

    /// <summary>An SDP answer that sends the SRC's streams to this fake's sockets (recvonly).</summary>
    public string AnswerSdp(int streams = 2) => string.Join("\r\n",
        new[] { "v=0", "o=srs 1 2 IN IP4 127.0.0.1", "s=fake srs", "c=IN IP4 127.0.0.1", "t=0 0" }
            .Concat(new[] { CallerMedia, BotMedia }.Take(streams).SelectMany(m => new[] { $"m=audio {m.LocalEndPoint.Port} RTP/AVP 0", "a=recvonly" }))) + "\r\n";

    /// <summary>Sends a request as-is to the SRC (for unknown-dialog tests).</summary>
    public Task<TransactionOutcome> SendRawAsync(SipRequest request, IPEndPoint to) => _layer!.SendRequestAsync(request, to);

    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        Record(request, _requests);
        switch (request.Method)
        {
            case SipMethods.Invite when request.To?.Tag is null && RejectWithMinSe is { } minSe:
                RejectWithMinSe = null;
                await transaction.RespondAsync(SipResponse.CreateFor(request, 422, toTag: SipIds.NewTag()).AddHeader("Min-SE", minSe.ToString()), cancellationToken);
                break;
            case SipMethods.Invite when request.To?.Tag is null && RequireDigest is { } digest && !DigestCheck.IsValid(request, digest, Nonce):
                await transaction.RespondAsync(SipResponse.CreateFor(request, 401, toTag: SipIds.NewTag())
                    .AddHeader("WWW-Authenticate", $"Digest realm=\"{digest.Realm}\", nonce=\"{Nonce}\", qop=\"auth\", algorithm=MD5"), cancellationToken);
                break;
            case SipMethods.Invite when request.To?.Tag is null:
                await AnswerInitialAsync(transaction);
                break;
            case SipMethods.Invite or SipMethods.Bye when ChallengeInDialog && RequireDigest is { } inDialog && !DigestCheck.IsValid(request, inDialog, Nonce):
                await transaction.RespondAsync(SipResponse.CreateFor(request, 401)
                    .AddHeader("WWW-Authenticate", $"Digest realm=\"{inDialog.Realm}\", nonce=\"{Nonce}\", qop=\"auth\", algorithm=MD5"), cancellationToken);
                break;
            case SipMethods.Invite when GlareOnce:
                GlareOnce = false;
                await transaction.RespondAsync(SipResponse.CreateFor(request, 491), cancellationToken);
                break;
            case SipMethods.Invite when RejectReinvites:
                await transaction.RespondAsync(SipResponse.CreateFor(request, 488), cancellationToken);
                break;
            case SipMethods.Invite:
                await transaction.RespondAsync(AnswerOffer(request, null, ReinviteAnswerDirection), cancellationToken);
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
        var contact = SipUri.Parse($"sip:srs@127.0.0.1:{SipEndPoint.Port}" + (_tcp ? ";transport=tcp" : ""));
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

    private SipResponse AnswerOffer(SipRequest request, string? tag, string? forcedDirection = null)
    {
        var offer = ReadSdp(request);
        var lines = new List<string> { "v=0", "o=srs 1 1 IN IP4 127.0.0.1", "s=fake srs", "c=IN IP4 127.0.0.1", "t=0 0" };
        var sockets = new[] { CallerMedia, BotMedia };
        for (var i = 0; i < (offer?.Media.Count ?? 2) && i < 2; i++)
        {
            var direction = forcedDirection ?? (offer?.Media[i].Direction == SdpDirection.Inactive ? "inactive" : "recvonly");
            var port = DeclinedStreams.Contains(i) ? 0 : sockets[i].LocalEndPoint.Port;
            lines.AddRange([$"m=audio {port} RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=" + direction]);
            if (!OmitLabels)
                lines.Add("a=label:" + (offer?.Media[i].Label ?? (i + 1).ToString()));
        }

        var sdp = Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");
        var response = SipResponse.CreateFor(request, 200, toTag: tag)
            .AddHeader("Contact", $"<sip:srs@127.0.0.1:{SipEndPoint.Port}{(_tcp ? ";transport=tcp" : "")}>");
        if (AllowUpdate)
            response = response.AddHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO");
        if (MultipartAnswer && tag is not null)
        {
            var body = MultipartBody.Build([MimePart.Create("application/sdp", sdp), MimePart.Create("application/rs-metadata+xml", Encoding.UTF8.GetBytes("<x/>"), "recording-session")], out var boundary);
            response = response.WithBody("multipart/mixed;boundary=" + boundary, body);
        }
        else
        {
            response = response.WithBody("application/sdp", sdp);
        }

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
