namespace Siprec.Sip.Dialogs;

/// <summary>Dialog identifier (RFC 3261 §12): Call-ID plus local and remote tags, from this side's point of view.</summary>
/// <param name="CallId">The Call-ID.</param>
/// <param name="LocalTag">Our tag (From tag as UAC, To tag as UAS).</param>
/// <param name="RemoteTag">The peer's tag.</param>
public sealed record DialogId(string CallId, string LocalTag, string RemoteTag);
