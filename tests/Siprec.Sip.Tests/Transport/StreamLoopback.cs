using System.Net;
using Siprec.Sip.Messages;
using Siprec.Sip.Tests.Transactions;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Transport;

/// <summary>Two transaction layers on 127.0.0.1 over a stream transport: a client (UAC) and a server whose user answers 200.</summary>
internal sealed class StreamLoopback : IAsyncDisposable
{
    public StreamLoopback(ISipTransport clientTransport, ISipTransport serverTransport)
    {
        ClientTransport = clientTransport;
        ServerTransport = serverTransport;
        ServerUser.OnRequest = tx => tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: "srv")
            .AddHeader("Contact", "<sip:srs@127.0.0.1>")).AsTask();
        Client = new TransactionLayer([clientTransport], new RecordingUser(), TimeProvider.System, new SipTransactionOptions());
        Server = new TransactionLayer([serverTransport], ServerUser, TimeProvider.System, new SipTransactionOptions());
        Client.Start();
        Server.Start();
    }

    public ISipTransport ClientTransport { get; }

    public ISipTransport ServerTransport { get; }

    public RecordingUser ServerUser { get; } = new();

    public TransactionLayer Client { get; }

    public TransactionLayer Server { get; }

    public static SipRequest NewRequest(string method) =>
        new SipRequest(method, SipUri.Parse("sip:srs@127.0.0.1")) { Headers =
        [
            new SipHeader("From", "<sip:src@127.0.0.1>;tag=" + SipIds.NewTag()),
            new SipHeader("To", "<sip:srs@127.0.0.1>"),
            new SipHeader("Call-ID", SipIds.NewCallId("127.0.0.1")),
            new SipHeader("CSeq", "1 " + method),
            new SipHeader("Contact", "<sip:src@127.0.0.1>"),
        ] };

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
