namespace Siprec.Gateway.RecordingControl;

/// <summary>A session reached a status worth a callback (DESIGN §4.4 <c>SiprecEvent</c>).</summary>
/// <param name="Resource">The session after the change.</param>
/// <param name="Event"><c>siprec-started</c>, <c>siprec-stopped</c> or <c>siprec-error</c>.</param>
internal sealed record RecordingStatusChange(RecordingResource Resource, string Event)
{
    /// <summary>For an error about one recorder while the session goes on: its code (else the resource's <c>ErrorCode</c> is reported).</summary>
    public int? ErrorCode { get; init; }

    /// <summary>For an error about one recorder while the session goes on: its text (else the resource's <c>ErrorText</c> is reported).</summary>
    public string? ErrorText { get; init; }

    /// <summary>The first SRS accepted.</summary>
    public const string Started = "siprec-started";

    /// <summary>Stopped by request or by call end.</summary>
    public const string Stopped = "siprec-stopped";

    /// <summary>The start failed, every recorder ended on its own, or one recorder of several did (the session goes on).</summary>
    public const string Error = "siprec-error";
}
