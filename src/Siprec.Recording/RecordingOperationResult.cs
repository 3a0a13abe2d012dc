namespace Siprec.Recording;

/// <summary>What a pause, resume or stop achieved on the active recorders.</summary>
/// <param name="Succeeded">
/// The operation was valid in the current state and at least one recorder confirmed it (2xx); for stop, the
/// recording is stopped whatever the recorders answered. False when the state did not allow the operation.
/// </param>
/// <param name="Outcomes">One per recorder the operation touched, with its answer.</param>
public sealed record RecordingOperationResult(bool Succeeded, IReadOnlyList<SrsOutcome> Outcomes)
{
    /// <summary>
    /// The state this operation left the recording in, as it ended, before any later operation changed it (operations of
    /// one recording run side by side: a stop does not wait for a pause's re-INVITEs); null when the state did not allow it.
    /// </summary>
    public RecordingState? StateAfter { get; init; }
}
