namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.6 <c>sessionrecordingassoc</c>: a communication session joined to the recording session.</summary>
/// <param name="SessionId">The associated <c>session_id</c>.</param>
/// <param name="AssociateTime">When it was associated, UTC.</param>
/// <param name="DisassociateTime">When it was disassociated, UTC.</param>
public sealed record MetadataSessionRecordingAssociation(string SessionId, DateTimeOffset? AssociateTime, DateTimeOffset? DisassociateTime);
