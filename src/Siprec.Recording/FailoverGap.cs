using System.Globalization;

namespace Siprec.Recording;

/// <summary>
/// The gap a failover left in a recording (DESIGN "No silent loss"): from the failure of a recorder to the acceptance of
/// the standby that replaced it (RFC 7866 §6.1: a new recording session dialog; RFC 7865 §6: same session ID, so the SRS
/// can join the pieces).
/// </summary>
/// <param name="Start">When the failed recorder was found dead (its failure reached the session), on the session's clock.</param>
/// <param name="End">When the standby accepted (its 2xx was admitted and media started to flow to it), on the session's clock.</param>
/// <param name="AudioNotDelivered">The part of the gap the recording was not paused: audio that reached no recorder of this chain.</param>
public sealed record FailoverGap(DateTimeOffset Start, DateTimeOffset End, TimeSpan AudioNotDelivered)
{
    /// <summary><see cref="AudioNotDelivered"/> in whole milliseconds (rounded), as the REST resource's <c>gap_ms</c> shows it.</summary>
    public long AudioNotDeliveredMs => (long)Math.Round(AudioNotDelivered.TotalMilliseconds, MidpointRounding.AwayFromZero);

    /// <summary>Readable, e.g. <c>gap 2350 ms of audio (2026-03-01T10:00:00.000Z to 2026-03-01T10:00:02.350Z)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"gap {AudioNotDeliveredMs} ms of audio ({Metadata.RecordingMetadata.FormatTime(Start)} to {Metadata.RecordingMetadata.FormatTime(End)})");
}
