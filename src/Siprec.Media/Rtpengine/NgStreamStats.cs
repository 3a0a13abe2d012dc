namespace Siprec.Media.Rtpengine;

/// <summary>
/// One RTP stream's counters from an ng <c>query</c> answer (rtpengine 10.5 <c>ng_stats_stream</c>): what rtpengine
/// <em>received</em> on the port it opened for <paramref name="Tag"/>'s m-line <paramref name="MediaIndex"/>. rtpengine 10.5 keeps
/// no per-subscriber egress counter: a subscriber's own streams count what the subscriber sent back (0 for a recvonly SRS).
/// </summary>
/// <param name="Tag">The ng tag (from-tag of the publisher, to-tag of a subscription).</param>
/// <param name="MediaIndex">The m-line's 1-based index (rtpengine's <c>index</c>).</param>
/// <param name="Packets">RTP packets received since the stream opened.</param>
/// <param name="Bytes">Bytes of those packets (RTP header included).</param>
/// <param name="Errors">Packets rtpengine could not handle (SRTP authentication, parse errors).</param>
public sealed record NgStreamStats(string Tag, int MediaIndex, long Packets, long Bytes, long Errors);
