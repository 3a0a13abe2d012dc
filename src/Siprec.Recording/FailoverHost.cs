using Siprec.Recording.Dialogs;
using Siprec.Sip.Transport;

namespace Siprec.Recording;

/// <summary>What a <see cref="RecorderFailover"/> needs from its recording session; each member is quick and never waits on a peer.</summary>
/// <param name="Open">
/// Makes a standby dialog on a URI (with preset targets, or null to locate it) in the recording's current direction and
/// adds it to the recording (so a stop cancels it); <see cref="StandbyOpening.Stopped"/> once the recording no longer
/// records, no dialog when a live recorder already uses that URI.
/// </param>
/// <param name="Admit">A standby accepted: true when the recording still wants it (its forwarders then get media unless paused).</param>
/// <param name="Raise">Reports an event of the recording.</param>
/// <param name="PausedTotal">How long the recording has been paused in all up to a time (gap accounting).</param>
/// <param name="Exhausted">No standby accepted: the recording fails if no recorder is left and no other failover runs.</param>
internal sealed record FailoverHost(
    Func<string, IReadOnlyList<SipTarget>?, StandbyOpening> Open,
    Func<RecordingDialog, bool> Admit,
    Action<RecordingEvent> Raise,
    Func<DateTimeOffset, TimeSpan> PausedTotal,
    Action<RecorderFailover.Run, string> Exhausted);
