namespace Siprec.Recorder.Offers;

/// <summary>
/// What the SRS does with one offered m-line: record it (with the G.711 payload types it will accept) or
/// decline it with port 0 (RFC 3264 §6).
/// </summary>
internal sealed record StreamPlan(int MediaIndex, string Label, IReadOnlyList<int> PayloadTypes, string? DeclineReason)
{
    /// <summary>True when the m-line gets a socket and a WAV channel.</summary>
    public bool Recorded => DeclineReason is null;
}
