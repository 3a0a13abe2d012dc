using System.Collections.Concurrent;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Transactions;

/// <summary>A transaction user that records callbacks and runs a per-test request handler.</summary>
internal sealed class RecordingUser : ITransactionUser
{
    public Func<ServerTransaction, Task> OnRequest { get; set; } = _ => Task.CompletedTask;

    public ConcurrentQueue<ServerTransaction> Requests { get; } = new();

    public ConcurrentQueue<IncomingMessage> Acks { get; } = new();

    public ConcurrentQueue<IncomingMessage> Strays { get; } = new();

    public ConcurrentQueue<ServerTransaction> Cancelled { get; } = new();

    public ConcurrentQueue<(Siprec.Sip.Messages.SipRequest Request, string Reason)> Failures { get; } = new();

    public SemaphoreSlim RequestSeen { get; } = new(0);

    public SemaphoreSlim AckSeen { get; } = new(0);

    public async Task OnRequestAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        Requests.Enqueue(transaction);
        try
        {
            await OnRequest(transaction);
        }
        finally
        {
            RequestSeen.Release();
        }
    }

    public void OnServerTransactionFailed(Siprec.Sip.Messages.SipRequest request, string reason) => Failures.Enqueue((request, reason));

    public void OnAck(IncomingMessage ack)
    {
        Acks.Enqueue(ack);
        AckSeen.Release();
    }

    public void OnStrayResponse(IncomingMessage response) => Strays.Enqueue(response);

    public void OnCancelled(ServerTransaction inviteTransaction) => Cancelled.Enqueue(inviteTransaction);
}
