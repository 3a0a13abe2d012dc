namespace Siprec.Testing.Metadata;

/// <summary>A parsed and validated RFC 7865 <c>recording</c> document (see <see cref="StrictMetadataReader"/>).</summary>
/// <param name="DataMode">Complete snapshot or partial update.</param>
/// <param name="Groups">The <c>group</c> elements.</param>
/// <param name="Sessions">The <c>session</c> elements.</param>
/// <param name="Participants">The <c>participant</c> elements.</param>
/// <param name="Streams">The <c>stream</c> elements.</param>
/// <param name="SessionRecordingAssociations">The <c>sessionrecordingassoc</c> elements.</param>
/// <param name="ParticipantSessionAssociations">The <c>participantsessionassoc</c> elements.</param>
/// <param name="ParticipantStreamAssociations">The <c>participantstreamassoc</c> elements.</param>
public sealed record RecordingMetadataDocument(
    MetadataDataMode DataMode,
    IReadOnlyList<MetadataGroup> Groups,
    IReadOnlyList<MetadataSession> Sessions,
    IReadOnlyList<StrictMetadataParticipant> Participants,
    IReadOnlyList<StrictMetadataStream> Streams,
    IReadOnlyList<MetadataSessionRecordingAssociation> SessionRecordingAssociations,
    IReadOnlyList<MetadataParticipantSessionAssociation> ParticipantSessionAssociations,
    IReadOnlyList<MetadataParticipantStreamAssociation> ParticipantStreamAssociations);
