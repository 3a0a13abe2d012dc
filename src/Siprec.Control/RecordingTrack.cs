namespace Siprec.Control;

/// <summary>
/// Which legs of the call a recording carries (Twilio/Telnyx <c>Track</c>; DESIGN §4.3: both → two m-lines, one leg → one).
/// </summary>
public enum RecordingTrack
{
    /// <summary>Both legs, two streams (<c>both_tracks</c>, the default).</summary>
    BothTracks,

    /// <summary>Only what the gateway receives from the caller (<c>inbound_track</c>).</summary>
    InboundTrack,

    /// <summary>Only what the gateway sends to the caller, the bot (<c>outbound_track</c>).</summary>
    OutboundTrack,
}
