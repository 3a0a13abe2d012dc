namespace Siprec.Gateway.Twiml;

/// <summary>Bounds of the TwiML/TeXML applications the gateway runs.</summary>
/// <remarks>
/// Defaults: a document or audio fetch gets 10 s (Twilio allows its webhooks 15 s; a bot should answer faster), audio for
/// <c>&lt;Play&gt;</c> is at most 16 MiB (over half an hour of 8 kHz PCM), a call runs at most 100 documents (redirects
/// included, so a redirect loop ends), espeak-ng gets 30 s per <c>&lt;Say&gt;</c>, and a TeXML <c>&lt;Start&gt;&lt;Siprec&gt;</c>
/// looks at its session's status every 250 ms while it waits for the session to stop. Checked by <see cref="Validate"/>.
/// </remarks>
public sealed record TwimlOptions
{
    /// <summary>Longest one document or audio fetch may take (connect to last byte).</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest audio file <c>&lt;Play&gt;</c> reads, in bytes.</summary>
    public int MaxAudioBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most documents one call runs (the first plus every redirect).</summary>
    public int MaxDocuments { get; init; } = 100;

    /// <summary>Longest espeak-ng may take to speak one <c>&lt;Say&gt;</c>.</summary>
    public TimeSpan SpeechTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a TeXML <c>&lt;Start&gt;&lt;Siprec&gt;</c> reads its session's status while it waits for the stop. The
    /// session resources have no change event of their own (their sink is the gateway's callback queue), and reading the
    /// status is a lock and a list lookup, so a short poll on the call's clock costs nothing and keeps the controller as it is.
    /// </summary>
    public TimeSpan StoppedPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Checks every bound.</summary>
    /// <exception cref="ArgumentException">A bound is out of range (named in the message).</exception>
    public void Validate()
    {
        if (FetchTimeout <= TimeSpan.Zero || FetchTimeout > TimeSpan.FromMinutes(2))
            throw new ArgumentException($"Twiml.FetchTimeout must be more than 0 and at most 2 min, was {FetchTimeout}.");
        if (MaxAudioBytes < 1024)
            throw new ArgumentException($"Twiml.MaxAudioBytes must be at least 1024, was {MaxAudioBytes}.");
        if (MaxDocuments < 1)
            throw new ArgumentException($"Twiml.MaxDocuments must be at least 1, was {MaxDocuments}.");
        if (SpeechTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Twiml.SpeechTimeout must be positive, was {SpeechTimeout}.");
        if (StoppedPollInterval < TimeSpan.FromMilliseconds(10) || StoppedPollInterval > TimeSpan.FromSeconds(10))
            throw new ArgumentException($"Twiml.StoppedPollInterval must be 10 ms to 10 s, was {StoppedPollInterval}.");
    }
}
