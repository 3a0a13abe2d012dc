namespace Siprec.Recorder.Metadata;

/// <summary>An RFC 7865 §6.5 participant: its identifier, first address of record and display name.</summary>
internal sealed record MetadataParticipant(string? Id, string? Aor, string? Name, IReadOnlyList<string> SendStreamIds);
