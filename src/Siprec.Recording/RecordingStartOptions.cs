using Siprec.Control;
using Siprec.Recording.Connectors;

namespace Siprec.Recording;

/// <summary>How one recording is started, beyond the <c>RecordingControlRequest</c> (REST <c>Track</c>, connector, …).</summary>
public sealed record RecordingStartOptions
{
    /// <summary>The defaults: both tracks, custom parameters in the metadata, no connector, the client's session timer.</summary>
    public static RecordingStartOptions Default { get; } = new();

    /// <summary>Which legs are recorded: two streams, or one (fixed for the life of every recording dialog).</summary>
    public RecordingTrack Track { get; init; } = RecordingTrack.BothTracks;

    /// <summary>Where custom parameters travel: the metadata extension element (default) or SIP headers on the INVITE.</summary>
    public CustomParameterPlacement CustomParameters { get; init; } = CustomParameterPlacement.Metadata;

    /// <summary>
    /// A named SRS configuration: its URIs are used when the request names none; its transport, session timeout and
    /// extra headers apply to every dialog of this recording.
    /// </summary>
    public SrsConnector? Connector { get; init; }

    /// <summary>RFC 4028 interval for this recording (Telnyx <c>SessionTimeoutSecs</c>); zero disables; null = connector, else client default.</summary>
    public TimeSpan? SessionExpires { get; init; }
}
