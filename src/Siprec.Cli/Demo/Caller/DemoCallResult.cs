namespace Siprec.Cli.Demo.Caller;

/// <summary>What one <see cref="DemoCaller.CallAsync"/> call saw.</summary>
/// <param name="Answered">The gateway answered 2xx.</param>
/// <param name="FinalStatus">The INVITE's final status (408 when no answer came, 503 when it could not be sent).</param>
/// <param name="Duration">From the answer to the hang-up (for an unanswered call: until the final response).</param>
/// <param name="RtpPacketsSent">RTP packets the caller sent (the utterance, then silence).</param>
/// <param name="RtpPacketsReceived">Valid RTP packets received from the gateway (the bot's prompts and silence).</param>
/// <param name="HungUpByRemote">The gateway sent BYE; false when the caller hung up at the maximum duration.</param>
public sealed record DemoCallResult(bool Answered, int FinalStatus, TimeSpan Duration, long RtpPacketsSent, long RtpPacketsReceived, bool HungUpByRemote);
