using Siprec.Sip.Messages;

namespace Siprec.Sip.Transactions;

/// <summary>What <see cref="ServerTransaction"/> and the layer need from either server state machine.</summary>
internal interface IServerTransactionMachine
{
    bool IsFinal { get; }

    bool IsTerminated { get; }

    ValueTask RespondAsync(SipResponse response);

    void OnRetransmission();

    void Terminate();
}
