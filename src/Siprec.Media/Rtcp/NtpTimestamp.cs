namespace Siprec.Media.Rtcp;

/// <summary>
/// A 64-bit NTP timestamp (RFC 3550 §4, RFC 5905 §6): seconds since 1900-01-01T00:00:00Z in the high 32 bits and the
/// fraction of a second in units of 2^-32 s in the low 32 bits.
/// </summary>
/// <param name="Value">The 64-bit wire value.</param>
public readonly record struct NtpTimestamp(ulong Value)
{
    /// <summary>Seconds from the NTP epoch (1900) to the Unix epoch (1970).</summary>
    public const long UnixEpochOffsetSeconds = 2_208_988_800;

    /// <summary>The middle 32 bits (16.16 fixed-point seconds): the LSR field of a report block (RFC 3550 §6.4.1).</summary>
    public uint Middle32 => (uint)(Value >> 16);

    /// <summary>Converts a wall-clock time (as from <see cref="TimeProvider.GetUtcNow"/>).</summary>
    /// <param name="time">A time after 1900 (era 0 runs to 2036; later times wrap, as NTP does).</param>
    public static NtpTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        ulong fraction = (ulong)((UInt128)(ulong)remainder * (1UL << 32) / TimeSpan.TicksPerSecond);
        return new NtpTimestamp(((ulong)(uint)(seconds + UnixEpochOffsetSeconds) << 32) | fraction);
    }

    /// <summary>The wall-clock time this timestamp names (era 0), to 100 ns.</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        long seconds = (long)(Value >> 32) - UnixEpochOffsetSeconds;
        long fractionTicks = (long)((UInt128)(Value & 0xFFFF_FFFF) * TimeSpan.TicksPerSecond >> 32);
        return DateTimeOffset.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + fractionTicks);
    }

    /// <summary>Converts a 16.16 fixed-point duration (LSR/DLSR arithmetic, units of 1/65536 s) to a <see cref="TimeSpan"/>.</summary>
    /// <param name="units">Units of 1/65536 s.</param>
    public static TimeSpan FromShortFormat(uint units) => TimeSpan.FromTicks((long)units * TimeSpan.TicksPerSecond / 65536);

    /// <summary>Converts a duration to 16.16 fixed-point units of 1/65536 s (the DLSR field), saturating at <see cref="uint.MaxValue"/>.</summary>
    /// <param name="duration">A non-negative duration; negative values give 0.</param>
    public static uint ToShortFormat(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) return 0;
        var units = (UInt128)(ulong)duration.Ticks * 65536 / TimeSpan.TicksPerSecond;
        return units > uint.MaxValue ? uint.MaxValue : (uint)units;
    }
}
