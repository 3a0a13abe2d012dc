using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transactions;

public sealed class ClientTransactionTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.10"), 5060);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryTransport _transport = new();
    private readonly TransactionLayer _layer;

    public ClientTransactionTests()
    {
        _layer = new TransactionLayer(_transport, new RecordingUser(), _time, new SipTransactionOptions());
        _layer.Start();
    }

    internal static SipRequest NewRequest(string method) =>
        new SipRequest(method, SipUri.Parse("sip:srs@192.0.2.10")) { Headers =
        [
            new SipHeader("From", "<sip:src@192.0.2.1>;tag=" + SipIds.NewTag()),
            new SipHeader("To", "<sip:srs@192.0.2.10>"),
            new SipHeader("Call-ID", SipIds.NewCallId("192.0.2.1")),
            new SipHeader("CSeq", "1 " + method),
            new SipHeader("Contact", "<sip:src@192.0.2.1>"),
        ] };

    private int Sent(string method) => _transport.CountSent(m => m is SipRequest r && r.Method == method);

    private void AdvanceExpecting(TimeSpan interval, string method, int expectedAfter)
    {
        _time.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(expectedAfter - 1, Sent(method));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(expectedAfter, Sent(method));
    }

    [Fact]
    public async Task NonInvite_RetransmitsAtT1Doubling_CappedAtT2_ThenTimerFTimesOut()
    {
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Options), Peer);
        Assert.Equal(1, Sent(SipMethods.Options));
        AdvanceExpecting(TimeSpan.FromMilliseconds(500), SipMethods.Options, 2);
        AdvanceExpecting(TimeSpan.FromSeconds(1), SipMethods.Options, 3);
        AdvanceExpecting(TimeSpan.FromSeconds(2), SipMethods.Options, 4);
        AdvanceExpecting(TimeSpan.FromSeconds(4), SipMethods.Options, 5);
        AdvanceExpecting(TimeSpan.FromSeconds(4), SipMethods.Options, 6);
        Assert.False(outcome.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromSeconds(11.5) - TimeSpan.FromMilliseconds(1));
        Assert.False(outcome.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await outcome.WaitAsync(Wait);
        Assert.Equal(TransactionOutcomeKind.Timeout, result.Kind);
        Assert.Equal(408, result.StatusCode);
        var sentBefore = Sent(SipMethods.Options);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(sentBefore, Sent(SipMethods.Options));
    }

    [Theory]
    [InlineData(SipMethods.Invite)]
    [InlineData(SipMethods.Options)]
    public async Task AFailedRetransmission_EndsTheTransactionWithATransportError_BeforeItsTimeout(string method)
    {
        var outcome = _layer.SendRequestAsync(NewRequest(method), Peer);
        Assert.Equal(1, Sent(method));
        _transport.FailSendsAfter = 1;

        _time.Advance(TimeSpan.FromMilliseconds(500)); // Timer A / E: the retransmission fails (RFC 3261 §17.1.4)

        var result = await outcome.WaitAsync(Wait);
        Assert.Equal(TransactionOutcomeKind.TransportError, result.Kind);
        Assert.Contains("could not resend " + method, result.Error, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(1, Sent(method));
    }

    [Fact]
    public async Task NonInvite_FinalResponseCompletesAndStopsRetransmission()
    {
        var provisional = new List<int>();
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Info), Peer, r => provisional.Add(r.StatusCode));
        var sent = (SipRequest)_transport.Sent[0].Message;
        Assert.Equal(_transport.LocalEndPoint.Port, sent.Vias[0].Port);
        Assert.True(sent.Vias[0].HasRPort);
        Assert.StartsWith(SipIds.MagicCookie, sent.Vias[0].Branch);
        _transport.Inject(SipResponse.CreateFor(sent, 100), Peer);
        _transport.Inject(SipResponse.CreateFor(sent, 200, toTag: "t"), Peer);
        var result = await outcome.WaitAsync(Wait);
        Assert.True(result.IsSuccess);
        Assert.Equal([100], provisional);
        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(1, Sent(SipMethods.Info));
    }

    [Fact]
    public async Task Invite_TimerADoublesWithoutCap_AndTimerBTimesOutAt64T1()
    {
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Invite), Peer);
        Assert.Equal(1, Sent(SipMethods.Invite));
        AdvanceExpecting(TimeSpan.FromMilliseconds(500), SipMethods.Invite, 2);
        AdvanceExpecting(TimeSpan.FromSeconds(1), SipMethods.Invite, 3);
        AdvanceExpecting(TimeSpan.FromSeconds(2), SipMethods.Invite, 4);
        AdvanceExpecting(TimeSpan.FromSeconds(4), SipMethods.Invite, 5);
        AdvanceExpecting(TimeSpan.FromSeconds(8), SipMethods.Invite, 6);
        AdvanceExpecting(TimeSpan.FromSeconds(16), SipMethods.Invite, 7);
        Assert.False(outcome.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var result = await outcome.WaitAsync(Wait);
        Assert.Equal(TransactionOutcomeKind.Timeout, result.Kind);
    }

    [Fact]
    public async Task Invite_NonSuccessFinal_IsAckedByTheTransaction_AndRetransmissionsReAcked()
    {
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Invite), Peer);
        var invite = (SipRequest)_transport.Sent[0].Message;
        var busy = SipResponse.CreateFor(invite, 486, toTag: "remote1");
        _transport.Inject(busy, Peer);
        var result = await outcome.WaitAsync(Wait);
        Assert.Equal(486, result.Response!.StatusCode);
        var ack = Assert.Single(_transport.Sent, s => s.Message is SipRequest { Method: SipMethods.Ack }).Message;
        Assert.Equal(invite.Vias[0].Branch, ack.Vias[0].Branch);
        Assert.Equal(new CSeq(1, SipMethods.Ack), ack.CSeq);
        Assert.Equal("remote1", ack.To!.Tag);
        Assert.Equal(invite.CallId, ack.CallId);
        _transport.Inject(busy, Peer);
        Assert.Equal(2, Sent(SipMethods.Ack));
        _time.Advance(TimeSpan.FromSeconds(33));
        _transport.Inject(busy, Peer);
        Assert.Equal(2, Sent(SipMethods.Ack));
    }

    [Fact]
    public async Task Invite_CancelledAfterProvisional_SendsCancelAndReturnsThe487()
    {
        using var cts = new CancellationTokenSource();
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Invite), Peer, cancellationToken: cts.Token);
        var invite = (SipRequest)_transport.Sent[0].Message;
        _transport.Inject(SipResponse.CreateFor(invite, 180, toTag: "r"), Peer);
        await cts.CancelAsync();
        var cancel = (SipRequest)Assert.Single(_transport.Sent, s => s.Message is SipRequest { Method: SipMethods.Cancel }).Message;
        Assert.Equal(invite.Vias[0].Branch, cancel.Vias[0].Branch);
        Assert.Equal(new CSeq(1, SipMethods.Cancel), cancel.CSeq);
        _transport.Inject(SipResponse.CreateFor(cancel, 200, toTag: "r"), Peer);
        _transport.Inject(SipResponse.CreateFor(invite, 487, toTag: "r"), Peer);
        var result = await outcome.WaitAsync(Wait);
        Assert.Equal(487, result.Response!.StatusCode);
    }

    [Fact]
    public async Task Invite_CancelledBeforeAProvisional_StopsRetransmitting_CancelsOnTheFirstProvisional_AndStillReturnsA2xx()
    {
        using var cts = new CancellationTokenSource();
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Invite), Peer, cancellationToken: cts.Token);
        var invite = (SipRequest)_transport.Sent[0].Message;
        AdvanceExpecting(TimeSpan.FromMilliseconds(500), SipMethods.Invite, 2);
        await cts.CancelAsync();
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(2, Sent(SipMethods.Invite));
        Assert.Equal(0, Sent(SipMethods.Cancel)); // RFC 3261 §9.1: not before a provisional
        _transport.Inject(SipResponse.CreateFor(invite, 180, toTag: "r"), Peer);
        Assert.Equal(1, Sent(SipMethods.Cancel));
        _transport.Inject(SipResponse.CreateFor(invite, 200, toTag: "r"), Peer); // crossed the CANCEL: the caller ACKs and BYEs it
        var result = await outcome.WaitAsync(Wait);
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Invite_RetransmittedSuccess_GoesToTheUserAsStray()
    {
        var user = new RecordingUser();
        var transport = new InMemoryTransport();
        await using var layer = new TransactionLayer(transport, user, _time, new SipTransactionOptions());
        layer.Start();
        var outcome = layer.SendRequestAsync(NewRequest(SipMethods.Invite), Peer);
        var invite = (SipRequest)transport.Sent[0].Message;
        var ok = SipResponse.CreateFor(invite, 200, toTag: "r");
        transport.Inject(ok, Peer);
        Assert.True((await outcome.WaitAsync(Wait)).IsSuccess);
        transport.Inject(ok, Peer);
        Assert.Single(user.Strays);
        Assert.Equal(0, transport.CountSent(m => m is SipRequest { Method: SipMethods.Ack }));
    }

    [Fact]
    public async Task NonInvite_CancellationAbandonsTheTransaction()
    {
        using var cts = new CancellationTokenSource();
        var outcome = _layer.SendRequestAsync(NewRequest(SipMethods.Options), Peer, cancellationToken: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outcome.WaitAsync(Wait));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, Sent(SipMethods.Options));
    }
}
