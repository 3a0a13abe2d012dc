namespace Siprec.Media.Pacing;

/// <summary>
/// A stream driven by a <see cref="MediaClock"/>: called when it is due, it does what is due (sends its packets) and says
/// when it is due next. Called on a clock thread, never twice at once for one stream; must not block.
/// </summary>
internal interface IPacedStream
{
    /// <summary>Does the work due at <paramref name="now"/>.</summary>
    /// <param name="now">The clock's <see cref="TimeProvider.GetTimestamp"/> when the stream was found due.</param>
    /// <returns>The timestamp it is due next, or <see cref="MediaClock.Stop"/> to leave the clock.</returns>
    long OnDue(long now);
}
