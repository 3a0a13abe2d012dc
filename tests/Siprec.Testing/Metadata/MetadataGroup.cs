namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.4 communication session group.</summary>
/// <param name="GroupId">The <c>group_id</c> (base64 of 16 bytes).</param>
/// <param name="AssociateTime">When the group was associated with the recording session, UTC.</param>
/// <param name="DisassociateTime">When it was disassociated, UTC.</param>
public sealed record MetadataGroup(string GroupId, DateTimeOffset? AssociateTime, DateTimeOffset? DisassociateTime);
