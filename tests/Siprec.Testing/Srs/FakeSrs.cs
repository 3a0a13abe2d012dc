using System.Net;
using Siprec.Media.Rtp;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Testing.Srs;

/// <summary>
/// A SIPREC recording server (SRS, RFC 7866 §3) for tests, on 127.0.0.1, built on the real UDP or TCP transport and
/// transaction layer: answers the SRC's initial INVITE per <see cref="FakeSrsBehavior"/>, mirrors re-INVITE directions,
/// receives RTP on two real sockets and records every request and ACK. Set the options before the SRC sends.
/// </summary>
public sealed partial class FakeSrs : ITransactionUser, IAsyncDisposable
{
    /// <summary>The nonce of the 401 challenge (RFC 2617 §3.2.1).</summary>
    public const string Nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";

    private static readonly TimeSpan DefaultLateDelay = TimeSpan.FromMilliseconds(800);

    private readonly FakeSrsBehavior _behavior;
    private readonly TimeSpan _lateDelay;
    private readonly bool _tcp;
    private readonly string _user;
    private readonly ISipTransport _transport;
    private readonly TransactionLayer _layer;
    private readonly CancellationTokenSource _dispose = new();

    private FakeSrs(FakeSrsBehavior behavior, TimeSpan lateDelay, bool loseProvisionals, bool tcp, string user)
    {
        _behavior = behavior;
        _lateDelay = lateDelay;
        _tcp = tcp;
        _user = user;
        var local = new IPEndPoint(IPAddress.Loopback, 0);
        ISipTransport transport = tcp ? new TcpSipTransport(local) : new UdpSipTransport(local);
        _transport = loseProvisionals ? new ProvisionalDroppingTransport(transport) : transport;
        _layer = new TransactionLayer(_transport, this, TimeProvider.System, new SipTransactionOptions());
    }

    /// <summary>Binds and starts a fake SRS on 127.0.0.1 (SIP and two RTP sockets on ports the OS picks).</summary>
    /// <param name="behavior">How the initial INVITE is answered.</param>
    /// <param name="lateDelay">How long <see cref="FakeSrsBehavior.AcceptLate"/> waits before its 200; default 800 ms.</param>
    /// <param name="loseProvisionals">Drop every outgoing 1xx (a lost 100 Trying).</param>
    /// <param name="tcp">Listen on TCP instead of UDP (the URI then carries <c>;transport=tcp</c>).</param>
    /// <param name="user">The user part of <see cref="Uri"/>, so that several SRSs read apart in texts; default <c>srs</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="user"/> is empty or holds a character a SIP URI user part cannot carry here.</exception>
    public static FakeSrs Start(FakeSrsBehavior behavior, TimeSpan? lateDelay = null, bool loseProvisionals = false, bool tcp = false, string user = "srs")
    {
        if (string.IsNullOrEmpty(user) || user.IndexOfAny(['@', ':', ';', '<', '>', ' ']) >= 0)
            throw new ArgumentException($"user '{user}' must be a non-empty SIP URI user part without @ : ; < > or spaces", nameof(user));
        var srs = new FakeSrs(behavior, lateDelay ?? DefaultLateDelay, loseProvisionals, tcp, user);
        srs._layer.Start();
        srs.CallerMedia.Start((packet, _) => srs.OnMedia(0, packet));
        srs.BotMedia.Start((packet, _) => srs.OnMedia(1, packet));
        return srs;
    }

    /// <summary>Where the SRS listens for SIP (127.0.0.1, OS-chosen port).</summary>
    public IPEndPoint SipEndPoint => _transport.LocalEndPoint;

    /// <summary>The SRS's SIP URI, e.g. <c>sip:srs@127.0.0.1:40123</c> (with <c>;transport=tcp</c> on TCP).</summary>
    public string Uri => $"sip:{_user}@127.0.0.1:{SipEndPoint.Port}" + (_tcp ? ";transport=tcp" : "");

    /// <summary>The RTP socket answered for the first m-line (the caller's stream).</summary>
    public RtpSocket CallerMedia { get; } = RtpSocket.Bind(IPAddress.Loopback);

    /// <summary>The RTP socket answered for the second m-line (the bot's stream).</summary>
    public RtpSocket BotMedia { get; } = RtpSocket.Bind(IPAddress.Loopback);

    /// <summary>RTP packets received so far on the first (caller) and second (bot) m-line's socket.</summary>
    public (long Caller, long Bot) RtpPackets => (CallerMedia.PacketsReceived, BotMedia.PacketsReceived);

    /// <summary>The recording dialog (RFC 3261 §12.1.1) after the last accepted initial INVITE; null before.</summary>
    public Dialog? Dialog { get; private set; }

    /// <summary>Where the last initial INVITE came from (the SRC), null before one arrived.</summary>
    public IPEndPoint? SrcEndPoint { get; private set; }

    /// <summary>Challenge every initial INVITE without valid credentials with 401 (RFC 3261 §22.2): user, password, realm.</summary>
    public (string User, string Password, string Realm)? RequireDigest { get; set; }

    /// <summary>Also challenge in-dialog re-INVITEs and BYEs (with <see cref="RequireDigest"/>).</summary>
    public bool ChallengeInDialog { get; set; }

    /// <summary>Answer every re-INVITE with 488 instead of 200.</summary>
    public bool RejectReinvites { get; set; }

    /// <summary>List UPDATE in the Allow header of every 2xx (the SRC then sends metadata updates by UPDATE, RFC 3311).</summary>
    public bool AllowUpdate { get; set; }

    /// <summary>Answer the initial INVITE with a multipart/mixed body (SDP plus a metadata part).</summary>
    public bool MultipartAnswer { get; set; }

    /// <summary>Answer the initial INVITE's offer with a 200 that carries no body at all, so no SDP answer (RFC 3264 §5 breached).</summary>
    public bool AnswerInitialWithoutSdp { get; set; }

    /// <summary>Leave a=label (RFC 4574) out of every answer.</summary>
    public bool OmitLabels { get; set; }

    /// <summary>m-line positions (0-based) answered with port 0 (declined, RFC 3264 §6).</summary>
    public HashSet<int> DeclinedStreams { get; } = [];

    /// <summary>A fixed direction to answer every re-INVITE with, whatever was offered (e.g. recvonly to a pause); null mirrors the offer.</summary>
    public string? ReinviteAnswerDirection { get; set; }

    /// <summary>Answer the first initial INVITE with 422 and this Min-SE (RFC 4028 §6); cleared once used.</summary>
    public int? RejectWithMinSe { get; set; }

    /// <summary>Answer the next re-INVITE with 491 (glare, RFC 3261 §14.2); cleared once used.</summary>
    public bool GlareOnce { get; set; }

    /// <summary>A Session-Expires value to put in every 2xx to INVITE (RFC 4028 §9), or null for none.</summary>
    public string? SessionExpiresAnswer { get; set; }

    /// <summary>
    /// Answers the <paramref name="nth"/> (1-based) in-dialog offer, re-INVITEs and UPDATEs counted together in arrival
    /// order, with <paramref name="statusCode"/> and <paramref name="headers"/> instead of the usual answer (this wins
    /// over <see cref="GlareOnce"/> and <see cref="RejectReinvites"/>). A null code sends no final response at all; with
    /// <c>loseProvisionals</c> not even the layer's 100 Trying arrives, so the SRC's transaction times out (Timer B/F).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nth"/> is below 1, or the code is not a final non-2xx (300-699).</exception>
    public void AnswerInDialog(int nth, int? statusCode, params (string Name, string Value)[] headers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nth, 1);
        if (statusCode is < 300 or > 699)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "a scripted in-dialog answer is a final non-2xx (300-699), or null for none");
        lock (_gate)
            _scripted[nth] = (statusCode, headers);
    }

    /// <summary>
    /// Answers every OPTIONS received from now on (the SRC's in-dialog keep-alive, RFC 3261 §11) with
    /// <paramref name="statusCode"/>, or with no final response at all when it is null: a dead SRS as the SRC sees it over
    /// UDP (non-INVITE requests get no 100 Trying from the layer, so the SRC hears nothing). Default 200.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not a final response (200-699).</exception>
    public void AnswerOptions(int? statusCode)
    {
        if (statusCode is < 200 or > 699)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "an OPTIONS answer is a final response (200-699), or null for none");
        lock (_gate)
            _optionsAnswer = statusCode;
    }

    /// <summary>
    /// Answer every BYE received from now on with 200 (the default) or, with false, with no response at all: an SRS that
    /// has gone quiet as the SRC sees it over UDP (non-INVITE requests get no 100 Trying from the layer).
    /// </summary>
    public void AnswerBye(bool answered)
    {
        lock (_gate)
            _byeAnswered = answered;
    }

    /// <summary>Stops the transaction layer, the transport and both RTP sockets; a pending late answer is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        await _dispose.CancelAsync();
        await _layer.DisposeAsync();
        await _transport.DisposeAsync();
        await CallerMedia.DisposeAsync();
        await BotMedia.DisposeAsync();
        await _probe.DisposeAsync();
    }
}
