namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.7 <c>nameID</c>: a participant's address of record and optional display name.</summary>
/// <param name="Aor">The <c>aor</c> attribute (a URI).</param>
/// <param name="Name">The first <c>name</c> child, when present.</param>
public sealed record MetadataNameId(string Aor, string? Name);
