namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.9 <c>participantsessionassoc</c>: a participant joining or leaving a session.</summary>
/// <param name="ParticipantId">The participant.</param>
/// <param name="SessionId">The session.</param>
/// <param name="AssociateTime">When the participant joined, UTC.</param>
/// <param name="DisassociateTime">When the participant left, UTC.</param>
public sealed record MetadataParticipantSessionAssociation(string ParticipantId, string SessionId, DateTimeOffset? AssociateTime, DateTimeOffset? DisassociateTime);
