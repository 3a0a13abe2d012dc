using Siprec.Media.Srtp;

namespace Siprec.Recorder.Offers;

/// <summary>
/// What the SRS does with one offered m-line: record it (with the G.711 payload types it will accept) or
/// decline it with port 0 (RFC 3264 §6). An RTP/SAVP line carries the SRC's SDES key (what the SRS decrypts
/// with) and the SRS's own fresh key for the answer (RFC 4568 §5.1.2; the SRS sends no media with it).
/// </summary>
internal sealed record StreamPlan(int MediaIndex, string Label, IReadOnlyList<int> PayloadTypes, string? DeclineReason)
{
    /// <summary>True when the m-line gets a socket and a WAV channel.</summary>
    public bool Recorded => DeclineReason is null;

    /// <summary>The accepted <c>a=crypto</c> of the offer (the SRC's sending key); null for plain RTP.</summary>
    public SdesCrypto? OfferedCrypto { get; init; }

    /// <summary>The SRS's <c>a=crypto</c> for the answer, same tag and suite, a fresh key; null for plain RTP.</summary>
    public SdesCrypto? AnswerCrypto { get; init; }
}
