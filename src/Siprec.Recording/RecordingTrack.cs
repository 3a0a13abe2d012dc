namespace Siprec.Recording;

/// <summary>Which legs of the call are recorded (Twilio/Telnyx <c>Track</c>); fixed for the life of every recording dialog.</summary>
public enum RecordingTrack
{
    /// <summary><c>both_tracks</c>: two streams, caller (label 1) then bot (label 2).</summary>
    BothTracks,

    /// <summary><c>inbound_track</c>: one stream, the caller's audio (label 1).</summary>
    InboundTrack,

    /// <summary><c>outbound_track</c>: one stream, the bot's audio (label 2).</summary>
    OutboundTrack,
}
