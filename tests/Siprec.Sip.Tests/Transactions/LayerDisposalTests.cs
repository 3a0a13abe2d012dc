using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transactions;

/// <summary>Disposing the layer ends every transaction of all four machines: pending client outcomes become transport errors, no timer stays armed.</summary>
public sealed class LayerDisposalTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.40"), 5060);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dispose_EndsPendingClientAndServerTransactions_AndStopsEveryTimer()
    {
        var time = new ManualTimeProvider();
        var transport = new InMemoryTransport();
        var user = new RecordingUser { OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 486, toTag: "d")).AsTask() };
        var layer = new TransactionLayer(transport, user, time, new SipTransactionOptions());
        layer.Start();
        var invite = layer.SendRequestAsync(ClientTransactionTests.NewRequest(SipMethods.Invite), Peer);
        var options = layer.SendRequestAsync(ClientTransactionTests.NewRequest(SipMethods.Options), Peer);
        transport.Inject(ClientTransactionTests.NewRequest(SipMethods.Invite).AddHeader("Via", "SIP/2.0/UDP 192.0.2.40:5060;branch=z9hG4bKdispose1"), Peer);
        Assert.True(await user.RequestSeen.WaitAsync(Wait));
        Assert.Equal(1, transport.CountSent(m => m is SipResponse { StatusCode: 486 }));
        Assert.True(time.ActiveTimerCount >= 5); // A, B, E, F on the clients; G, H on the server

        await layer.DisposeAsync();

        var inviteOutcome = await invite.WaitAsync(Wait);
        Assert.Equal(TransactionOutcomeKind.TransportError, inviteOutcome.Kind);
        Assert.Equal("transaction layer stopped", inviteOutcome.Error);
        Assert.Equal(TransactionOutcomeKind.TransportError, (await options.WaitAsync(Wait)).Kind);
        Assert.Equal(0, time.ActiveTimerCount);
        Assert.True(transport.Disposed);
        var sentBefore = transport.Sent.Count;
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(sentBefore, transport.Sent.Count);
    }
}
