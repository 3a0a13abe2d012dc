using Siprec.Control;
using Siprec.Recording.Connectors;

namespace Siprec.Recording;

/// <summary>
/// How one recording is started, beyond the <c>RecordingControlRequest</c> (which alone says what is recorded: its SRS URIs,
/// its <c>Track</c>, its custom headers and parameters and where the parameters travel): the connector and the session timer.
/// </summary>
public sealed record RecordingStartOptions
{
    /// <summary>The defaults: no connector, the client's session timer.</summary>
    public static RecordingStartOptions Default { get; } = new();

    /// <summary>
    /// A named SRS configuration: its URIs are used when the request names none; its transport, session timeout and
    /// extra headers apply to every dialog of this recording.
    /// </summary>
    public SrsConnector? Connector { get; init; }

    /// <summary>RFC 4028 interval for this recording (Telnyx <c>SessionTimeoutSecs</c>); zero disables; null = connector, else client default.</summary>
    public TimeSpan? SessionExpires { get; init; }
}
