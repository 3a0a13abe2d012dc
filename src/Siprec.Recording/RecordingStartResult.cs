namespace Siprec.Recording;

/// <summary>What a start achieved (RFC 7866 §7.1): started when at least one SRS accepted.</summary>
/// <param name="Started">At least one SRS answered 2xx before the start returned.</param>
/// <param name="TimedOut">No SRS accepted within <see cref="SrcOptions.NoAnswerTimeout"/>; every pending INVITE was cancelled.</param>
/// <param name="Outcomes">One per SRS, in request order, as known when the start returned (<see cref="SrsOutcomeKind.Pending"/> for those still ringing).</param>
public sealed record RecordingStartResult(bool Started, bool TimedOut, IReadOnlyList<SrsOutcome> Outcomes);
