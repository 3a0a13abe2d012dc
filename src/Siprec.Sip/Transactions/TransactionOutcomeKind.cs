namespace Siprec.Sip.Transactions;

/// <summary>How a client transaction ended (RFC 3261 §17.1).</summary>
public enum TransactionOutcomeKind
{
    /// <summary>A final response arrived.</summary>
    Response,
    /// <summary>Timer B or F fired (or no final response 64*T1 after CANCEL): treat as 408.</summary>
    Timeout,
    /// <summary>The request could not be sent (RFC 3261 §8.1.3.1: treat as 503).</summary>
    TransportError,
}
