using Siprec.Recording.Connectors;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// What a start adds beyond the SRC request: the session's name, where its status callbacks go and the SRS connector
/// it records through (REST, DESIGN §4.4).
/// </summary>
/// <param name="Name">The session's name, unique on the call; null for none.</param>
/// <param name="StatusCallback">Absolute http(s) URL for callbacks; null for none.</param>
/// <param name="StatusCallbackMethod"><c>GET</c> or <c>POST</c>.</param>
/// <param name="Connector">The named connector (transport, digest credentials, session timer, extra headers); null for none.</param>
internal sealed record RecordingRequestOptions(string? Name, Uri? StatusCallback, string StatusCallbackMethod, SrsConnector? Connector = null)
{
    /// <summary>No name, no callbacks (INFO and the node).</summary>
    public static RecordingRequestOptions None { get; } = new(null, null, "POST");
}
