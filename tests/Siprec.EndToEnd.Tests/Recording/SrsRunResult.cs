namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>How one sipp SRS finished: its exit code (null if it was still running), what it received, and its output for failure messages.</summary>
/// <param name="Peer">Which SRS.</param>
/// <param name="ExitCode">sipp's exit code: 0 when its one call followed the scenario; null when it had not finished.</param>
/// <param name="Received">Every SIP message sipp received, as logged, in order.</param>
/// <param name="Diagnostics">sipp's output and error log.</param>
internal sealed record SrsRunResult(SrsPeer Peer, int? ExitCode, IReadOnlyList<string> Received, string Diagnostics)
{
    /// <summary>The received requests with method <paramref name="method"/> (INVITE, ACK, BYE, UPDATE…), in order.</summary>
    public IReadOnlyList<string> Requests(string method) =>
        Received.Where(m => m.StartsWith(method + " ", StringComparison.Ordinal)).ToList();

    /// <summary>The received responses whose CSeq method is <paramref name="method"/>, in order (answers to the SRS's own requests, or the SRC's retransmissions).</summary>
    public IReadOnlyList<string> Responses(string method) =>
        Received.Where(m => m.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && SipTrace.CSeqMethod(m) == method).ToList();
}
