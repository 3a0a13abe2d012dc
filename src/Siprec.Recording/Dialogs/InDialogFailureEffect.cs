namespace Siprec.Recording.Dialogs;

/// <summary>
/// What a failed request the SRC sent inside its recording dialog does to that dialog (RFC 5057 §5.1, §5.2). The
/// recording dialog has one usage, the invite usage, so a response that ends the usage ends the dialog.
/// </summary>
internal enum InDialogFailureEffect
{
    /// <summary>Only the transaction failed ("objecting to the request, not the usage"): the recorder stays; the failure is reported.</summary>
    TransactionOnly,

    /// <summary>Send the request again after <see cref="InDialogFailure.RetryDelay"/> (491 glare, or 5xx/6xx with Retry-After).</summary>
    Retry,

    /// <summary>The invite usage is over but the SRS (or a proxy on its path) may still hold state: end the recorder and send BYE.</summary>
    UsageTerminated,

    /// <summary>481: the SRS has no such dialog; end the recorder without BYE.</summary>
    DialogGone,
}
