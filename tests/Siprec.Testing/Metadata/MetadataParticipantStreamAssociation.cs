namespace Siprec.Testing.Metadata;

/// <summary>
/// An RFC 7865 §6.10 <c>participantstreamassoc</c>: the streams a participant sends and receives. A participant on
/// hold has no <c>send</c> entries.
/// </summary>
/// <param name="ParticipantId">The participant.</param>
/// <param name="Send">The <c>stream_id</c>s it sends.</param>
/// <param name="Recv">The <c>stream_id</c>s it receives.</param>
public sealed record MetadataParticipantStreamAssociation(string ParticipantId, IReadOnlyList<string> Send, IReadOnlyList<string> Recv);
