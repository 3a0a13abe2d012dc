namespace Siprec.Sip.Sdp;

/// <summary>An <c>a=</c> line (RFC 4566 §5.13): a property flag (null value) or <c>name:value</c>.</summary>
/// <param name="Name">The attribute name, e.g. <c>rtpmap</c>, <c>label</c>, <c>sendonly</c>.</param>
/// <param name="Value">The text after the first colon, or null for a flag.</param>
public sealed record SdpAttribute(string Name, string? Value)
{
    /// <summary>The value after <c>a=</c>.</summary>
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
