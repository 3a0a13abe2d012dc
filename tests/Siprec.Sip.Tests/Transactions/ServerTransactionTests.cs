using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transactions;

public sealed class ServerTransactionTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.20"), 40000);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryTransport _transport = new();
    private readonly RecordingUser _user = new();
    private readonly TransactionLayer _layer;

    public ServerTransactionTests()
    {
        _layer = new TransactionLayer(_transport, _user, _time, new SipTransactionOptions());
        _layer.Start();
    }

    private static SipRequest Incoming(string method, string branch = "z9hG4bKabc123") =>
        ClientTransactionTests.NewRequest(method).AddHeader("Via", "SIP/2.0/UDP 192.0.2.20:5060;branch=" + branch + ";rport");

    private int Responses(int status) => _transport.CountSent(m => m is SipResponse r && r.StatusCode == status);

    [Fact]
    public async Task RetransmittedRequest_IsAbsorbedByResendingTheLastResponse()
    {
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: "l")).AsTask();
        var options = Incoming(SipMethods.Options);
        _transport.Inject(options, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        Assert.Equal(1, Responses(200));
        _transport.Inject(options, Peer);
        Assert.Equal(2, Responses(200));
        Assert.Single(_user.Requests);
        var (message, remote) = _transport.Sent[0];
        Assert.Equal(Peer, remote);
        Assert.Equal(40000, message.Vias[0].RPort);
        Assert.Equal("192.0.2.20", message.Vias[0].Received);
    }

    [Theory]
    [InlineData(";rport", 40000)] // RFC 3581 §4: the source port
    [InlineData("", 5070)]        // RFC 3261 §18.2.2: received address, sent-by port
    public async Task ResponseToARequestFromBehindNat_GoesToTheSourceAddress_NotTheViaSentBy(string rport, int expectedPort)
    {
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: "l")).AsTask();
        var natted = ClientTransactionTests.NewRequest(SipMethods.Options).AddHeader("Via", "SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bKnat1" + rport);
        _transport.Inject(natted, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));

        var (message, remote) = Assert.Single(_transport.Sent);
        Assert.Equal(new IPEndPoint(Peer.Address, expectedPort), remote);
        Assert.Equal("192.0.2.20", message.Vias[0].Received);
        Assert.Equal(rport.Length > 0 ? 40000 : null, message.Vias[0].RPort);
    }

    [Fact]
    public async Task Invite_SendsTrying_AndRetransmitsTheSuccessUntilAck()
    {
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: "l")
            .AddHeader("Contact", "<sip:srs@127.0.0.1>")).AsTask();
        var invite = Incoming(SipMethods.Invite);
        _transport.Inject(invite, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        Assert.Equal(1, Responses(100));
        Assert.Equal(1, Responses(200));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, Responses(200));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, Responses(200));
        var ack = new SipRequest(SipMethods.Ack, invite.RequestUri) { Headers =
        [
            new SipHeader("Via", "SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKother"),
            new SipHeader("From", invite.GetHeader("From")!), new SipHeader("To", invite.GetHeader("To") + ";tag=l"),
            new SipHeader("Call-ID", invite.CallId!), new SipHeader("CSeq", "1 ACK"),
        ] };
        _transport.Inject(ack, Peer);
        Assert.Single(_user.Acks);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, Responses(200));
    }

    [Fact]
    public async Task Invite_NonSuccessFinal_IsRetransmittedOnTimerGUntilAck()
    {
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 488, toTag: "l")).AsTask();
        var invite = Incoming(SipMethods.Invite);
        _transport.Inject(invite, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, Responses(488));
        var ack = invite with { Method = SipMethods.Ack };
        ack = ack.SetHeader("CSeq", "1 ACK").SetHeader("To", invite.GetHeader("To") + ";tag=l");
        _transport.Inject(ack, Peer);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Responses(488));
        Assert.Empty(_user.Acks);
    }

    [Fact]
    public async Task Invite_NonSuccessFinalNeverAcked_EndsAtTimerH_AndTellsTheUser()
    {
        _user.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 486, toTag: "b")).AsTask();
        var invite = Incoming(SipMethods.Invite, "z9hG4bKnoack");
        _transport.Inject(invite, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));

        _time.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_user.Failures);
        var resent = Responses(486);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // Timer H = 64*T1 (RFC 3261 §17.2.1)

        var (request, reason) = Assert.Single(_user.Failures);
        Assert.Equal(invite.CallId, request.CallId);
        Assert.Contains("Timer H", reason, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(resent, Responses(486));
    }

    [Fact]
    public async Task Cancel_OfPendingInvite_Answers200And487AndTellsTheUser()
    {
        var invite = Incoming(SipMethods.Invite);
        _transport.Inject(invite, Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        var cancel = invite with { Method = SipMethods.Cancel };
        cancel = cancel.SetHeader("CSeq", "1 CANCEL");
        _transport.Inject(cancel, Peer);
        Assert.Equal(1, _transport.CountSent(m => m is SipResponse { StatusCode: 200 } r && r.CSeq!.Value.Method == SipMethods.Cancel));
        Assert.Equal(1, Responses(487));
        var cancelled = Assert.Single(_user.Cancelled);
        Assert.True(cancelled.IsFinal);
        await cancelled.RespondAsync(SipResponse.CreateFor(cancelled.Request, 200, toTag: "late"));
        Assert.Equal(0, _transport.CountSent(m => m is SipResponse { StatusCode: 200 } r && r.CSeq!.Value.Method == SipMethods.Invite));
    }

    [Fact]
    public void Cancel_WithoutMatchingInvite_Answers481()
    {
        var cancel = Incoming(SipMethods.Cancel, "z9hG4bKnothing");
        _transport.Inject(cancel, Peer);
        Assert.Equal(1, Responses(481));
    }

    [Fact]
    public async Task UserException_IsAnswered500()
    {
        _user.OnRequest = _ => throw new InvalidOperationException("boom");
        _transport.Inject(Incoming(SipMethods.Info), Peer);
        Assert.True(await _user.RequestSeen.WaitAsync(Wait));
        var deadline = DateTime.UtcNow + Wait;
        while (Responses(500) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, Responses(500));
    }

    [SkippableFact]
    public void OverlargeCSeq_IsAnswered400EchoingTheTransactionHeaders()
    {
        _transport.Inject(File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc4475", "scalar02.dat")), Peer);
        var (bytes, remote) = Assert.Single(_transport.SentUnparseable);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("SIP/2.0 400 ", text);
        Assert.Contains("Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32\r\n", text);
        Assert.Equal(Peer, remote);
        Assert.Empty(_user.Requests);
    }

    [SkippableTheory]
    [InlineData("badvers.dat", 505)]
    [InlineData("ncl.dat", 400)]
    [InlineData("mismatch01.dat", 400)]
    public void InvalidRequest_IsAnsweredWithTheSuggestedStatus(string file, int status)
    {
        _transport.Inject(File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc4475", file)), Peer);
        var (message, remote) = Assert.Single(_transport.Sent);
        Assert.Equal(status, ((SipResponse)message).StatusCode);
        Assert.Equal(Peer.Address, remote.Address); // the source port when unparseable, the Via sent-by port when parsed (§18.2.2)
        Assert.Empty(_user.Requests);
    }

    [SkippableTheory]
    [InlineData("insuf.dat")]
    [InlineData("bigcode.dat")]
    [InlineData("scalarlg.dat")]
    public void UnanswerableMessage_IsDropped(string file)
    {
        _transport.Inject(File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc4475", file)), Peer);
        _transport.Inject("garbage\r\n\r\n"u8.ToArray(), Peer);
        Assert.Empty(_transport.Sent);
        Assert.Empty(_transport.SentUnparseable);
    }
}
