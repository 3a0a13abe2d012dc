namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.7 participant.</summary>
/// <param name="ParticipantId">The <c>participant_id</c> (base64 of 16 bytes).</param>
/// <param name="NameIds">Its <c>nameID</c> elements, in document order.</param>
public sealed record StrictMetadataParticipant(string ParticipantId, IReadOnlyList<MetadataNameId> NameIds);
