using System.Collections.Concurrent;
using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recorder.Tests.Support;

/// <summary>
/// A minimal SIPREC client for tests: its own UDP transport and transaction layer on 127.0.0.1, INVITE
/// building, and answers to whatever the SRS sends it (200, or a test-supplied handler first).
/// </summary>
internal sealed class SrcPeer : ITransactionUser, IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly UdpSipTransport _transport;
    private readonly TransactionLayer _layer;

    private SrcPeer()
    {
        _transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0));
        _layer = new TransactionLayer(_transport, this, TimeProvider.System, new SipTransactionOptions());
        _layer.Start();
    }

    public static SrcPeer Start() => new();

    public IPEndPoint EndPoint => _transport.LocalEndPoint;
    public TransactionLayer Layer => _layer;
    public ConcurrentQueue<SipRequest> Received { get; } = new();

    /// <summary>Runs before the peer answers 200 to a request from the SRS.</summary>
    public Func<SipRequest, Task>? BeforeAnswer { get; set; }

    public SipRequest CreateInvite(IPEndPoint srs, string? contentType, ReadOnlyMemory<byte> body, bool siprecHeaders = true)
    {
        var host = $"{EndPoint.Address}:{EndPoint.Port}";
        var contact = siprecHeaders ? $"<sip:src@{host}>;+sip.src" : $"<sip:src@{host}>";
        var headers = new List<SipHeader>
        {
            new("From", $"<sip:src@{host}>;tag={SipIds.NewTag()}"),
            new("To", $"<sip:srs@{srs.Address}:{srs.Port}>"),
            new("Call-ID", SipIds.NewCallId("127.0.0.1")),
            new("CSeq", "1 INVITE"),
            new("Max-Forwards", "70"),
            new("Contact", contact),
        };
        if (siprecHeaders) headers.Add(new("Require", "siprec"));
        var invite = new SipRequest(SipMethods.Invite, SipUri.Parse($"sip:srs@{srs.Address}:{srs.Port}")) { Headers = headers };
        return contentType is null ? invite : invite.WithBody(contentType, body);
    }

    public SipRequest CreateRequest(string method, IPEndPoint srs)
    {
        var host = $"{EndPoint.Address}:{EndPoint.Port}";
        return new SipRequest(method, SipUri.Parse($"sip:srs@{srs.Address}:{srs.Port}"))
        {
            Headers =
            [
                new("From", $"<sip:src@{host}>;tag={SipIds.NewTag()}"),
                new("To", $"<sip:srs@{srs.Address}:{srs.Port}>"),
                new("Call-ID", SipIds.NewCallId("127.0.0.1")),
                new("CSeq", $"1 {method}"),
                new("Max-Forwards", "70"),
            ],
        };
    }

    public async Task<SipResponse> SendAsync(SipRequest request, IPEndPoint destination)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var outcome = await _layer.SendRequestAsync(request, destination, null, timeout.Token);
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
}
