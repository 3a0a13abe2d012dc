using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Gateway.Tests.Support;

/// <summary>
/// A test-side SIP UAC on 127.0.0.1 over UDP, TCP or TLS: sends an INVITE with any SDP, ACKs a 2xx, sends in-dialog
/// requests, answers BYE. Over TCP its URIs carry <c>;transport=tcp</c>, over TLS they are <c>sips:</c>.
/// </summary>
public sealed class TestUac : ITransactionUser, IAsyncDisposable
{
    private readonly TransactionLayer _layer;
    private readonly ISipTransport _transport;
    private Dialog? _dialog;

    /// <summary>Binds 127.0.0.1:any over <paramref name="transport"/> and starts.</summary>
    /// <param name="transport">The UAC's only transport; every request it sends uses it.</param>
    /// <param name="trustedRoots">TLS only: the roots the gateway's certificate must chain to (the UAC has no certificate, so nobody can connect to it).</param>
    public TestUac(SipTransportProtocol transport = SipTransportProtocol.Udp, X509Certificate2Collection? trustedRoots = null)
    {
        var any = new IPEndPoint(IPAddress.Loopback, 0);
        Protocol = transport;
        _transport = transport switch
        {
            SipTransportProtocol.Tcp => new TcpSipTransport(any),
            SipTransportProtocol.Tls => new TlsSipTransport(any, new TlsOptions { TrustedRoots = trustedRoots }),
            _ => new UdpSipTransport(any),
        };
        _layer = new TransactionLayer(_transport, this, TimeProvider.System, new SipTransactionOptions());
        _layer.Start();
    }

    /// <summary>The transport the UAC speaks.</summary>
    public SipTransportProtocol Protocol { get; }

    /// <summary>The transport of every request the gateway sent the UAC (e.g. <c>TLS</c> for its BYE).</summary>
    public List<SipTransportProtocol> ReceivedOver { get; } = [];

    /// <summary>Completes with the peer's BYE (answered 200).</summary>
    public TaskCompletionSource<SipRequest> ByeReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The call's dialog after a 2xx.</summary>
    public Dialog Dialog => _dialog ?? throw new InvalidOperationException("no call");

    /// <summary>Where requests go.</summary>
    public IPEndPoint? Target { get; private set; }

    /// <summary>A fresh out-of-dialog request to <paramref name="target"/>.</summary>
    public SipRequest NewRequest(string method, IPEndPoint target, string? toTag = null)
    {
        var me = Uri("uac", _transport.LocalEndPoint);
        var to = new NameAddress(Uri("bot", target));
        return new SipRequest(method, Uri("bot", target))
        {
            Headers =
            [
                new SipHeader("From", new NameAddress(me).WithTag(SipIds.NewTag()).ToString()),
                new SipHeader("To", (toTag is null ? to : to.WithTag(toTag)).ToString()),
                new SipHeader("Call-ID", SipIds.NewCallId("127.0.0.1")),
                new SipHeader("CSeq", $"1 {method}"),
                new SipHeader("Contact", $"<{me}>"),
                new SipHeader("Max-Forwards", "70"),
            ],
        };
    }

    /// <summary>
    /// INVITE with <paramref name="sdp"/> (and <c>X-Account-Sid</c> when given); on 2xx makes the dialog and sends the ACK.
    /// A <paramref name="contentType"/> other than SDP sends <paramref name="sdp"/> as that body, verbatim.
    /// </summary>
    public async Task<TransactionOutcome> InviteAsync(IPEndPoint target, string sdp, bool ack = true, string? accountSid = null, string contentType = "application/sdp")
    {
        Target = target;
        var invite = NewRequest(SipMethods.Invite, target).WithBody(contentType, Encoding.UTF8.GetBytes(sdp.ReplaceLineEndings("\r\n")));
        if (accountSid is not null)
        {
            invite = invite.AddHeader("X-Account-Sid", accountSid);
        }
        var outcome = await _layer.SendRequestAsync(invite, Via(target));
        if (outcome.IsSuccess)
        {
            _dialog = Dialog.CreateAsUac(invite, outcome.Response!);
            if (ack)
            {
                await _layer.SendAckAsync(_dialog.CreateAck(1), Via(target));
            }
        }
        return outcome;
    }

    /// <summary>An in-dialog request with extra headers and an optional body.</summary>
    public Task<TransactionOutcome> SendInDialogAsync(string method, IEnumerable<(string Name, string Value)> headers, string? contentType = null, string? body = null)
    {
        SipRequest request;
        lock (Dialog)
        {
            request = Dialog.CreateRequest(method);
        }
        foreach (var (name, value) in headers)
        {
            request = request.AddHeader(name, value);
        }
        if (body is not null)
        {
            request = request.WithBody(contentType ?? "application/json", Encoding.UTF8.GetBytes(body));
        }
        return _layer.SendRequestAsync(request, Via(Target!));
    }

    /// <summary>Sends any request as is.</summary>
    public Task<TransactionOutcome> SendAsync(SipRequest request, IPEndPoint target) => _layer.SendRequestAsync(request, Via(target));

    // TLS checks the gateway's certificate against the IP address (the test certificate names 127.0.0.1).
    private SipTarget Via(IPEndPoint target) => new(target, Protocol);

    private SipUri Uri(string user, IPEndPoint at)
    {
        var uri = SipUri.Parse($"{(Protocol == SipTransportProtocol.Tls ? "sips" : "sip")}:{user}@{at}");
        return Protocol == SipTransportProtocol.Tcp ? uri.WithParameter("transport", "tcp") : uri;
    }

    /// <summary>A PCMU offer for an RTP port.</summary>
    public static string Offer(int rtpPort, string formats = "0") =>
        $"v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio {rtpPort} RTP/AVP {formats}\na=sendrecv\n";

    /// <inheritdoc />
    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        lock (ReceivedOver)
        {
            ReceivedOver.Add(transaction.Incoming.Transport);
        }
        await transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, 200), cancellationToken);
        if (transaction.Request.Method == SipMethods.Bye)
        {
            ByeReceived.TrySetResult(transaction.Request);
        }
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
    public ValueTask DisposeAsync() => _layer.DisposeAsync();
}
