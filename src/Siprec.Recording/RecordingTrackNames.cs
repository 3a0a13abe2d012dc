namespace Siprec.Recording;

/// <summary>The wire names of <see cref="RecordingTrack"/> (<c>both_tracks</c>, <c>inbound_track</c>, <c>outbound_track</c>).</summary>
public static class RecordingTrackNames
{
    /// <summary>Reads a track name, case-insensitively; false for anything else (null or empty reads as both tracks).</summary>
    public static bool TryParse(string? text, out RecordingTrack track)
    {
        track = RecordingTrack.BothTracks;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "both_tracks":
                return true;
            case "inbound_track":
                track = RecordingTrack.InboundTrack;
                return true;
            case "outbound_track":
                track = RecordingTrack.OutboundTrack;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The wire name of a track.</summary>
    public static string ToName(RecordingTrack track) => track switch
    {
        RecordingTrack.InboundTrack => "inbound_track",
        RecordingTrack.OutboundTrack => "outbound_track",
        _ => "both_tracks",
    };

    /// <summary>True when the track records <paramref name="party"/>'s audio.</summary>
    public static bool Includes(this RecordingTrack track, CallParty party) => track switch
    {
        RecordingTrack.InboundTrack => party == CallParty.Caller,
        RecordingTrack.OutboundTrack => party == CallParty.Bot,
        _ => true,
    };
}
