using Siprec.Control;

namespace Siprec.Recording;

/// <summary>Which recorded party's audio a <see cref="RecordingTrack"/> carries (DESIGN §4.3: both → two m-lines, one leg → one).</summary>
public static class RecordingTrackExtensions
{
    /// <summary>True when the track records <paramref name="party"/>'s audio: inbound is the caller, outbound the bot.</summary>
    public static bool Includes(this RecordingTrack track, CallParty party) => track switch
    {
        RecordingTrack.InboundTrack => party == CallParty.Caller,
        RecordingTrack.OutboundTrack => party == CallParty.Bot,
        _ => true,
    };
}
