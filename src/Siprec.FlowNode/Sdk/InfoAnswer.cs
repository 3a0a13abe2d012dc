namespace Siprec.FlowNode.Sdk;

/// <summary>The final answer to the node's INFO (RFC 3261 §7.2 status line plus the §20.43 Warning text, if any).</summary>
/// <param name="StatusCode">The SIP status code; only 200 changes the node's recording state (DESIGN §4.2).</param>
/// <param name="ReasonPhrase">The reason phrase of the status line.</param>
/// <param name="Warning">The raw <c>Warning</c> header value (e.g. <c>399 gw "text"</c>), or null.</param>
public sealed record InfoAnswer(int StatusCode, string ReasonPhrase, string? Warning);
