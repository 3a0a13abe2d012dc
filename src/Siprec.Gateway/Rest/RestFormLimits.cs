namespace Siprec.Gateway.Rest;

/// <summary>
/// Bounds on a REST request's form body (DESIGN §4.4 create and update). A body beyond a bound is answered 413 or 400 with a
/// text naming the bound, never read further and never a 500.
/// </summary>
/// <remarks>
/// Defaults: <see cref="MaxBodyBytes"/> 64 KiB, <see cref="MaxFields"/> 256 (the Twilio/Telnyx fields plus 99 parameter
/// name/value pairs fit), <see cref="MaxKeyLength"/> 128 characters, <see cref="MaxMultipartBoundaryLength"/> 70 (RFC 2046
/// §5.1.1). Validated when the gateway starts.
/// </remarks>
public sealed record RestFormLimits
{
    /// <summary>Largest request body, bytes; a larger one is answered 413.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Most form fields in one body; more are answered 413.</summary>
    public int MaxFields { get; init; } = 256;

    /// <summary>Longest form field name, characters (after decoding); a longer one is answered 400.</summary>
    public int MaxKeyLength { get; init; } = 128;

    /// <summary>Longest <c>multipart/form-data</c> boundary, characters (RFC 2046 §5.1.1 allows 1 to 70); longer is answered 400.</summary>
    public int MaxMultipartBoundaryLength { get; init; } = 70;

    /// <summary>Throws when a bound is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound below 1 (a body below 1 KiB), or a boundary limit above 70.</exception>
    public void Validate()
    {
        if (MaxBodyBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "MaxBodyBytes must be at least 1024");
        if (MaxFields < 1) throw new ArgumentOutOfRangeException(nameof(MaxFields), MaxFields, "MaxFields must be at least 1");
        if (MaxKeyLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxKeyLength), MaxKeyLength, "MaxKeyLength must be at least 1");
        if (MaxMultipartBoundaryLength is < 1 or > 70)
            throw new ArgumentOutOfRangeException(nameof(MaxMultipartBoundaryLength), MaxMultipartBoundaryLength, "MaxMultipartBoundaryLength must be 1 to 70 (RFC 2046)");
    }
}
