namespace Siprec.Sip.Messages;

/// <summary>
/// What a UAS accepts, for <see cref="SipRequestValidator"/> (RFC 3261 §8.2). Names compare case-insensitively.
/// </summary>
/// <remarks>
/// Defaults: schemes <c>sip</c>, <c>sips</c>; extensions <c>timer</c> (RFC 4028), <c>siprec</c> (RFC 7866),
/// <c>100rel</c> (RFC 3262), <c>replaces</c> (RFC 3891); content types SDP, multipart/mixed and /alternative (RFC 5621), the RFC 7865
/// metadata types and JSON; known methods those of RFC 3261 and the common extensions.
/// </remarks>
public sealed record SipValidationPolicy
{
    /// <summary>The defaults described in the remarks.</summary>
    public static SipValidationPolicy Default { get; } = new();

    /// <summary>Request-URI schemes served; any other is answered 416 (RFC 3261 §8.2.2.1).</summary>
    public IReadOnlyList<string> SupportedSchemes { get; init; } = ["sip", "sips"];

    /// <summary>Option tags understood in Require / Proxy-Require; others are answered 420 with Unsupported (RFC 3261 §8.2.2.3).</summary>
    public IReadOnlyList<string> SupportedExtensions { get; init; } = ["timer", "siprec", "100rel", "replaces"];

    /// <summary>Body media types (<c>type/subtype</c>) accepted; a body of another type is answered 415 with Accept (RFC 3261 §8.2.3).</summary>
    public IReadOnlyList<string> AcceptedContentTypes { get; init; } =
    [
        "application/sdp", "multipart/mixed", "multipart/alternative", "application/rs-metadata+xml", "application/rs-metadata",
        "application/rs-metadata-request", "application/json",
    ];

    /// <summary>
    /// Methods this stack knows; a request whose CSeq method differs from an unknown request method is answered
    /// 501 rather than 400 (RFC 4475 §3.1.2.18).
    /// </summary>
    public IReadOnlyList<string> KnownMethods { get; init; } =
    [
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY",
        "REFER", "MESSAGE", "PUBLISH",
    ];
}
