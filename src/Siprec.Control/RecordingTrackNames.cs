namespace Siprec.Control;

/// <summary>The REST wire names of <see cref="RecordingTrack"/> (Twilio and Telnyx <c>Track</c> values), DESIGN §4.4.</summary>
public static class RecordingTrackNames
{
    /// <summary>Wire name of <see cref="RecordingTrack.BothTracks"/>.</summary>
    public const string BothTracks = "both_tracks";

    /// <summary>Wire name of <see cref="RecordingTrack.InboundTrack"/>.</summary>
    public const string InboundTrack = "inbound_track";

    /// <summary>Wire name of <see cref="RecordingTrack.OutboundTrack"/>.</summary>
    public const string OutboundTrack = "outbound_track";

    /// <summary>The wire name of a track.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="RecordingTrack"/> (a programming error).</exception>
    public static string ToName(RecordingTrack track) => track switch
    {
        RecordingTrack.BothTracks => BothTracks,
        RecordingTrack.InboundTrack => InboundTrack,
        RecordingTrack.OutboundTrack => OutboundTrack,
        _ => throw new ArgumentOutOfRangeException(nameof(track), track, "not a recording track"),
    };

    /// <summary>Reads a wire name, case-insensitively after trimming; null or empty reads as both tracks; never throws.</summary>
    /// <param name="name">The REST/config value, e.g. <c>inbound_track</c>.</param>
    /// <param name="track">The track; <see cref="RecordingTrack.BothTracks"/> when false is returned.</param>
    /// <returns>False for any other value.</returns>
    public static bool TryParse(string? name, out RecordingTrack track)
    {
        track = RecordingTrack.BothTracks;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or BothTracks: return true;
            case InboundTrack: track = RecordingTrack.InboundTrack; return true;
            case OutboundTrack: track = RecordingTrack.OutboundTrack; return true;
            default: return false;
        }
    }
}
