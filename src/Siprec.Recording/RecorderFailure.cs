namespace Siprec.Recording;

/// <summary>How and why an established recorder ended against the SRC's will (DESIGN "No silent loss").</summary>
/// <param name="Cause">What ended it, from a fixed set (metric tags, alerts).</param>
/// <param name="StatusCode">
/// The SIP final status the SRS answered that ended it (e.g. 408, 481), or the <c>cause</c> of the RFC 3326 <c>Reason: SIP</c>
/// its own BYE carried (e.g. 507 storage full, 408 no media); null when the SRS said nothing (no answer, unreachable, a BYE
/// without a reason, session expiry).
/// </param>
/// <param name="Detail">Readable, with the RFC rule applied, e.g. <c>no answer to OPTIONS within 4 s (transaction timeout): RFC 5057 §5.2 …</c>.</param>
public sealed record RecorderFailure(RecorderFailureCause Cause, int? StatusCode, string Detail)
{
    /// <summary>The code an operator sees (REST <c>error_code</c>, <c>SiprecErrorCode</c>): <see cref="StatusCode"/>, else 503 (Service Unavailable: the recorder is gone and said nothing).</summary>
    public int ErrorCode => StatusCode ?? 503;

    /// <summary>
    /// When the recorder stopped receiving, as far as the SRC can tell (the first ICMP port unreachable of the streak that
    /// ended it, or the last RTCP it sent); null when the failure itself is the first sign (a BYE, a ping's answer). A
    /// failover's gap (<see cref="FailoverGap"/>) starts here, so the audio lost while the failure was being detected counts.
    /// </summary>
    public DateTimeOffset? LostSince { get; init; }
}
