namespace Siprec.Media.Rtpengine;

/// <summary>Timeouts and retries of the ng control protocol client (<see cref="NgClient"/>).</summary>
/// <remarks>
/// Defaults: <see cref="Timeout"/> 500 ms, <see cref="Tries"/> 3 (a command that gets no answer fails after 1.5 s; the OpenSIPS
/// and Kamailio rtpengine modules default to 1 s × 5), <see cref="PingInterval"/> 2 s, <see cref="RetryDownAfter"/> 10 s.
/// </remarks>
public sealed class NgClientOptions
{
    /// <summary>How long one try waits for the answer before resending with the same cookie.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Sends of one command (the first and the retries) before the instance counts as not answering.</summary>
    public int Tries { get; set; } = 3;

    /// <summary>How often every instance gets an ng <c>ping</c>; one that does not answer is down and its calls are failed.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a down instance is left out of new calls before it is tried again (pings bring it back sooner).</summary>
    public TimeSpan RetryDownAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often each recording's call at rtpengine is read back with ng <c>query</c> for its packet counters (also once at the
    /// recording's end, before <c>delete</c>); one small UDP round trip per recording per interval.
    /// </summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A timeout or interval not positive, or <see cref="Tries"/> below 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(Tries, 1, nameof(Tries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingInterval, TimeSpan.Zero, nameof(PingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDownAfter, TimeSpan.Zero, nameof(RetryDownAfter));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StatsInterval, TimeSpan.Zero, nameof(StatsInterval));
    }
}
