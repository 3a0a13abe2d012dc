using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder.Tests.Support;

/// <summary>
/// A minimal SIPREC client for tests: its own UDP, TCP or TLS transport and transaction layer on 127.0.0.1, INVITE
/// building (sips: URIs over TLS, ;transport=tcp over TCP), and answers to whatever the SRS sends it (200, or a
/// test-supplied handler first).
/// </summary>
internal sealed class SrcPeer : ITransactionUser, IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly ISipTransport _transport;
    private readonly TransactionLayer _layer;

    private SrcPeer(ISipTransport transport, SipTransportProtocol protocol)
    {
        _transport = transport;
        Protocol = protocol;
        _layer = new TransactionLayer(_transport, this, TimeProvider.System, new SipTransactionOptions());
        _layer.Start();
    }

    public static SrcPeer Start() => new(new UdpSipTransport(Loopback()), SipTransportProtocol.Udp);

    /// <summary>A UDP client on another loopback address (e.g. 127.0.0.2), to be a second source to the SRS.</summary>
    public static SrcPeer StartFrom(IPAddress address) => new(new UdpSipTransport(new IPEndPoint(address, 0)), SipTransportProtocol.Udp);

    public static SrcPeer StartTcp() => new(new TcpSipTransport(Loopback()), SipTransportProtocol.Tcp);

    /// <summary>A TLS client that trusts only <paramref name="trustedRoots"/>; it has no server certificate, so nobody can connect to it.</summary>
    public static SrcPeer StartTls(X509Certificate2Collection trustedRoots) =>
        new(new TlsSipTransport(Loopback(), new TlsOptions { TrustedRoots = trustedRoots }), SipTransportProtocol.Tls);

    public SipTransportProtocol Protocol { get; }

    public IPEndPoint EndPoint => _transport.LocalEndPoint;
    public TransactionLayer Layer => _layer;
    public ConcurrentQueue<SipRequest> Received { get; } = new();

    /// <summary>Runs before the peer answers 200 to a request from the SRS.</summary>
    public Func<SipRequest, Task>? BeforeAnswer { get; set; }

    public SipRequest CreateInvite(IPEndPoint srs, string? contentType, ReadOnlyMemory<byte> body, bool siprecHeaders = true)
    {
        var self = Uri("src", EndPoint);
        var contact = siprecHeaders ? $"<{self}>;+sip.src" : $"<{self}>";
        var headers = new List<SipHeader>
        {
            new("From", $"<{self}>;tag={SipIds.NewTag()}"),
            new("To", $"<{Uri("srs", srs)}>"),
            new("Call-ID", SipIds.NewCallId("127.0.0.1")),
            new("CSeq", "1 INVITE"),
            new("Max-Forwards", "70"),
            new("Contact", contact),
        };
        if (siprecHeaders) headers.Add(new("Require", "siprec"));
        var invite = new SipRequest(SipMethods.Invite, SipUri.Parse(Uri("srs", srs))) { Headers = headers };
        return contentType is null ? invite : invite.WithBody(contentType, body);
    }

    public SipRequest CreateRequest(string method, IPEndPoint srs)
    {
        return new SipRequest(method, SipUri.Parse(Uri("srs", srs)))
        {
            Headers =
            [
                new("From", $"<{Uri("src", EndPoint)}>;tag={SipIds.NewTag()}"),
                new("To", $"<{Uri("srs", srs)}>"),
                new("Call-ID", SipIds.NewCallId("127.0.0.1")),
                new("CSeq", $"1 {method}"),
                new("Max-Forwards", "70"),
            ],
        };
    }

    /// <summary>
    /// Sends a SIPREC INVITE with <paramref name="offer"/> (edited by <paramref name="edit"/>) to <paramref name="server"/>,
    /// requires its 200, ACKs it and waits (bounded) until the SRS has taken the ACK, so the test may then move the clock.
    /// </summary>
    public async Task<(Dialog Dialog, SipResponse Ok)> EstablishAsync(RecordingServer server, SdpSession offer, Func<SipRequest, SipRequest>? edit = null)
    {
        var srs = server.SipEndPoint;
        var (contentType, body) = SiprecBodies.Multipart(offer);
        var invite = CreateInvite(srs, contentType, body);
        if (edit is not null) invite = edit(invite);
        var ok = await SendAsync(invite, srs);
        Assert.Equal(200, ok.StatusCode);
        var dialog = Dialog.CreateAsUac(invite, ok);
        await _layer.SendAckAsync(dialog.CreateAck(1), srs);
        // The ACK travels over UDP and is marked asynchronously; the clock may only move once it has been.
        await Poll.UntilAsync(() => server.ActiveSessions.Any(s => s.SipCallId == dialog.Id.CallId && s.Timers.IsAcknowledged),
            RequestTimeout, "the SRS to take the ACK");
        return (dialog, ok);
    }

    /// <summary>Where requests to <paramref name="destination"/> go: this peer's transport; TLS checks the certificate against the IP address.</summary>
    public SipTarget Target(IPEndPoint destination) => new(destination, Protocol);

    public async Task<SipResponse> SendAsync(SipRequest request, IPEndPoint destination)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var outcome = await _layer.SendRequestAsync(request, Target(destination), null, timeout.Token);
        Assert.True(outcome.Kind == TransactionOutcomeKind.Response, $"{request.Method} got no response: {outcome.Kind} {outcome.Error}");
        return outcome.Response!;
    }

    async Task ITransactionUser.OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        Received.Enqueue(transaction.Request);
        if (BeforeAnswer is { } before) await before(transaction.Request);
        await transaction.RespondAsync(SipResponse.CreateFor(transaction.Request, 200), cancellationToken);
    }

    void ITransactionUser.OnAck(IncomingMessage ack)
    {
    }

    void ITransactionUser.OnStrayResponse(IncomingMessage response)
    {
    }

    void ITransactionUser.OnCancelled(ServerTransaction inviteTransaction)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _layer.DisposeAsync();
        await _transport.DisposeAsync();
    }

    private static IPEndPoint Loopback() => new(IPAddress.Loopback, 0);

    /// <summary><c>sips:</c> over TLS (RFC 3261 §26.2.2), <c>;transport=tcp</c> over TCP.</summary>
    private string Uri(string user, IPEndPoint at) => Protocol switch
    {
        SipTransportProtocol.Tls => $"sips:{user}@{at.Address}:{at.Port}",
        SipTransportProtocol.Tcp => $"sip:{user}@{at.Address}:{at.Port};transport=tcp",
        _ => $"sip:{user}@{at.Address}:{at.Port}",
    };
}
