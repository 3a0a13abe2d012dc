using Siprec.Sip.Messages;

namespace Siprec.Recording;

/// <summary>
/// The communication session being recorded (RFC 7865 §5.3 "session"): its Call-ID, the caller and the callee
/// (the bot), and when it started. The caller becomes the participant sending stream label 1, the callee label 2.
/// </summary>
/// <param name="CallId">The call's own Call-ID (never reused for a recording dialog).</param>
/// <param name="Caller">The caller's address (From of the call); its URI becomes the participant AOR.</param>
/// <param name="Callee">The bot's address (To of the call); its URI becomes the participant AOR.</param>
/// <param name="StartedAt">When the call was answered; written to the metadata as UTC <c>start-time</c>.</param>
public sealed record RecordedCall(string CallId, NameAddress Caller, NameAddress Callee, DateTimeOffset StartedAt);
