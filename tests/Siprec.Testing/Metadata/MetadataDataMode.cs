namespace Siprec.Testing.Metadata;

/// <summary>The RFC 7865 §6.1 <c>datamode</c> of a metadata document.</summary>
public enum MetadataDataMode
{
    /// <summary>A complete snapshot: every element of the recording session (the default when absent).</summary>
    Complete,

    /// <summary>A partial update: only what changed since the last snapshot; references may point into it.</summary>
    Partial,
}
