namespace Siprec.Control;

/// <summary>
/// A refused or failed recording request: the SIP status code the gateway answers and the text it logs and
/// puts in <c>Warning: 399 &lt;host&gt; "&lt;text&gt;"</c>; DESIGN §4.2.
/// </summary>
/// <param name="StatusCode">The SIP status code (400, 415 or 503 here).</param>
/// <param name="Text">One line, free of control characters, from <see cref="RecordingErrorTexts"/>.</param>
public sealed record RecordingControlError(int StatusCode, string Text)
{
    /// <summary>The REST form field the error is about (e.g. <c>Track</c>), so the REST API can give its error code; null when none.</summary>
    public string? Field { get; init; }
}
