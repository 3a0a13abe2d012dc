namespace Siprec.Gateway.Configuration;

/// <summary>
/// How long the REST API (DESIGN §4.4) keeps an ended call's SIPREC session resources readable, like Twilio keeps a
/// finished recording's resource: <c>GET</c> answers the final resource (<c>status: stopped</c>), a repeated stop
/// answers it unchanged, and anything else gets the call-ended error. After retention the call answers 404.
/// </summary>
/// <remarks>
/// Both bounds apply: a call is dropped when it ended <see cref="Time"/> ago or when <see cref="MaxCalls"/> newer calls
/// ended after it, whichever comes first, so memory stays bounded. Defaults: 1 hour, 1,000 calls. Only calls that
/// belong to an account are kept (REST cannot see the others).
/// </remarks>
public sealed record EndedCallRetentionOptions
{
    /// <summary>The largest <see cref="MaxCalls"/> accepted, so a typo cannot make the retention unbounded.</summary>
    public const int MaxCallsLimit = 1_000_000;

    /// <summary>How long after its end a call's resources stay readable; <see cref="TimeSpan.Zero"/> keeps none.</summary>
    public TimeSpan Time { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many ended calls are kept at most, the oldest dropped first; 0 keeps none.</summary>
    public int MaxCalls { get; init; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Time < TimeSpan.Zero)
            throw new ArgumentException($"EndedCallRetention.Time must not be negative, was {Time}.", nameof(Time));
        if (MaxCalls is < 0 or > MaxCallsLimit)
            throw new ArgumentException($"EndedCallRetention.MaxCalls must be 0..{MaxCallsLimit}, was {MaxCalls}.", nameof(MaxCalls));
    }
}
