namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.5 communication session (the recorded call).</summary>
/// <param name="SessionId">The <c>session_id</c> (base64 of 16 bytes).</param>
/// <param name="SipSessionIds">The <c>sipSessionID</c> values (RFC 7989 Session-ID), in document order.</param>
/// <param name="GroupRef">The <c>group-ref</c>, when the session belongs to a group.</param>
/// <param name="StartTime">The session's <c>start-time</c>, UTC.</param>
/// <param name="StopTime">The session's <c>stop-time</c>, UTC.</param>
/// <param name="Extension">Our own extension data (recording ID, SIDs, custom parameters), when present.</param>
public sealed record MetadataSession(string SessionId, IReadOnlyList<string> SipSessionIds, string? GroupRef,
    DateTimeOffset? StartTime, DateTimeOffset? StopTime, MetadataExtension? Extension);
