namespace Siprec.Gateway.RecordingControl;

/// <summary>How a recording request ended: the SIP status code to answer and the text for the log line and the <c>Warning</c> header (DESIGN §4.2).</summary>
/// <param name="StatusCode">200 when the request did what it asked, else the §4.2 code.</param>
/// <param name="Text">The §4.2 text; null for a plain success with nothing to add.</param>
internal sealed record RecordingCommandResult(int StatusCode, string? Text)
{
    /// <summary>True for a 2xx answer.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The SIPREC session the request made or changed, as the REST API shows it; null when none (e.g. a refused stop while off).</summary>
    public RecordingResource? Resource { get; init; }

    /// <summary>
    /// Set when this outcome ends the call (the recording-required policy): INFO answers it as a second <c>Warning</c>,
    /// REST appends it to the error text. Null otherwise.
    /// </summary>
    public string? CallEnding { get; init; }

    /// <summary>
    /// The REST error code (<see cref="RestErrorCodes"/>) when the controller knows it better than the status and text do
    /// (e.g. <see cref="RestErrorCodes.StreamLimitExceeded"/>); null lets <see cref="RestErrorCodes.For(RecordingCommandResult)"/> derive it.
    /// INFO answers ignore it.
    /// </summary>
    public int? RestErrorCode { get; init; }

    /// <summary><see cref="Text"/>, then <see cref="CallEnding"/> when set, joined by <c>"; "</c>: the REST error detail.</summary>
    public string? FullText => CallEnding is null ? Text : Text is null ? CallEnding : Text + "; " + CallEnding;
}
