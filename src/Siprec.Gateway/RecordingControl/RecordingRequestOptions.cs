using Siprec.Recording.Connectors;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// What a request adds beyond the SRC request: who asks (<see cref="Origin"/>), which session a stop, pause or resume
/// addresses (<see cref="Target"/>), and for a start the session's name, where its status callbacks go and the SRS
/// connector it records through (REST and TwiML/TeXML, DESIGN §4.4).
/// </summary>
/// <param name="Name">The session's name, unique on the call; null for none.</param>
/// <param name="StatusCallback">Absolute http(s) URL for callbacks; null for none.</param>
/// <param name="StatusCallbackMethod"><c>GET</c> or <c>POST</c>.</param>
/// <param name="Connector">The named connector (transport, digest credentials, session timer, extra headers); null for none.</param>
internal sealed record RecordingRequestOptions(string? Name, Uri? StatusCallback, string StatusCallbackMethod, SrsConnector? Connector = null)
{
    /// <summary>No name, no callbacks, the node/INFO rules (INFO and the node).</summary>
    public static RecordingRequestOptions None { get; } = new(null, null, "POST") { Origin = RecordingOrigin.Info };

    /// <summary>The entry point's kind; <see cref="RecordingOrigin.Api"/> unless said otherwise.</summary>
    public RecordingOrigin Origin { get; init; } = RecordingOrigin.Api;

    /// <summary>
    /// The SID or name of the session a stop, pause or resume addresses (REST's <c>{Sid|Name}</c>, TwiML's
    /// <c>&lt;Stop&gt;&lt;Siprec name&gt;</c>); null = the node/INFO rule: its own session, else the only active one.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>A stop, pause or resume of the session <paramref name="sidOrName"/> (REST, TwiML/TeXML).</summary>
    public static RecordingRequestOptions For(string sidOrName) => new(null, null, "POST") { Target = sidOrName };
}
