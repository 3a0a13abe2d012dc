namespace Siprec.Recording;

/// <summary>The result for one SRS: how it answered, its status code when it answered, and a readable detail.</summary>
/// <param name="SrsUri">The SRS URI as given in the request.</param>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The SIP final status code, when the SRS answered one.</param>
/// <param name="Detail">Human-readable text for logs and the INFO <c>Warning</c>, e.g. <c>486 Busy Here</c>.</param>
public sealed record SrsOutcome(string SrsUri, SrsOutcomeKind Kind, int? StatusCode, string Detail)
{
    /// <summary>The SRS URI and what happened, e.g. <c>sip:srs@host: 486 Busy Here</c>.</summary>
    public override string ToString() => $"{SrsUri}: {Detail}";
}
