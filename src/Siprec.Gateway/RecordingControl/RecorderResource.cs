namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// One recorder (SRS) of a SIPREC session as the REST API shows it, beyond the Twilio and Telnyx shapes (the
/// <c>recorders</c> array): which SRS, whether it is recording, and why it failed (DESIGN "No silent loss").
/// </summary>
/// <param name="SrsUri">The SRS URI as requested, without any password.</param>
/// <param name="Status"><see cref="Pending"/>, <see cref="Active"/>, <see cref="Failed"/> or <see cref="Stopped"/>.</param>
/// <param name="ErrorCode">Set when failed: the SIP status the SRS answered that ended or refused it, 503 when it sent none (no answer, unreachable, its own BYE).</param>
/// <param name="ErrorText">Set when failed: why, readable.</param>
internal sealed record RecorderResource(string SrsUri, string Status, int? ErrorCode, string? ErrorText)
{
    /// <summary>For a standby of a failover (issue 11): the SRS URI (without password) of the failed recorder it replaces; null otherwise.</summary>
    public string? Replaces { get; init; }

    /// <summary>
    /// For a standby that accepted: milliseconds of audio not delivered between the failure of the recorder it replaces and
    /// its own acceptance (paused time excluded, <see cref="Siprec.Recording.FailoverGap"/>); null otherwise.
    /// </summary>
    public long? GapMs { get; init; }

    /// <summary>The recording INVITE has no final answer yet.</summary>
    public const string Pending = "pending";

    /// <summary>Established and known alive: media is forked to it.</summary>
    public const string Active = "active";

    /// <summary>Refused at start, or ended against the SRC's will (SRS BYE, failed ping, failed refresh, RFC 5057 ending).</summary>
    public const string Failed = "failed";

    /// <summary>Ended by the SRC: stop, or call end.</summary>
    public const string Stopped = "stopped";
}
