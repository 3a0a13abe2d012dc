namespace Siprec.Recording;

/// <summary>
/// Where the request's custom parameters travel to the SRS (DESIGN §4.3). Telnyx's <c>IncludeMetadataCustomHeaders</c>
/// = true maps to <see cref="Metadata"/>, false to <see cref="SipHeaders"/>.
/// </summary>
public enum CustomParameterPlacement
{
    /// <summary>As <c>parameter</c> elements of our metadata extension element.</summary>
    Metadata,

    /// <summary>As SIP headers on the recording INVITE (names must be safe header names, e.g. <c>X-Foo</c>).</summary>
    SipHeaders,
}
