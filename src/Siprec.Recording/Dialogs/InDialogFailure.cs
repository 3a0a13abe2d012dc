using System.Globalization;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// The classification of a non-2xx answer (or none) to a re-INVITE or UPDATE the SRC sent in its recording dialog,
/// after RFC 5057 §5.1 ("A Survey of the Effect of Failure Responses on Usages and Dialogs") and §5.2 (transaction
/// timeouts), with RFC 3261 §12.2.1.2/§14.1 (408, 481, timeout end the dialog) and §14.1 (491 back-off).
/// </summary>
/// <param name="Effect">What the dialog does next.</param>
/// <param name="RetryDelay">How long to wait before the retry; zero unless <see cref="Effect"/> is <see cref="InDialogFailureEffect.Retry"/>.</param>
/// <param name="Rule">Why, with the RFC section, for logs and the operator (never null or empty).</param>
internal sealed record InDialogFailure(InDialogFailureEffect Effect, TimeSpan RetryDelay, string Rule)
{
    /// <summary>The default <see cref="SrcOptions.MaxRetryAfter"/>: 4 s.</summary>
    public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromSeconds(4);

    /// <summary>64*T1 with the SRC's transaction timers (32 s): how long a re-INVITE may go without a final answer.</summary>
    public static readonly TimeSpan NoFinalAnswerLimit = new SipTransactionOptions().T1 * 64;

    /// <summary>The greatest <see cref="SrcOptions.MaxRetryAfter"/> accepted: <see cref="NoFinalAnswerLimit"/>.</summary>
    public static readonly TimeSpan MaxRetryAfterLimit = NoFinalAnswerLimit;

    /// <summary>
    /// Classifies <paramref name="result"/> (not a 2xx, and not a 401/407 the caller answers). At most one retry per
    /// request: when <paramref name="retried"/> is true, an answer that would be retried is reported instead.
    /// </summary>
    /// <param name="result">The transaction's outcome.</param>
    /// <param name="retried">The request was already sent again once.</param>
    /// <param name="maxRetryAfter">The longest Retry-After honoured; a longer one (or zero here) is reported as a failure.</param>
    /// <param name="random">Picks the 491 back-off; default <see cref="Random.Shared"/>.</param>
    public static InDialogFailure Classify(TransactionOutcome result, bool retried, TimeSpan maxRetryAfter, Random? random = null)
    {
        if (result.Kind == TransactionOutcomeKind.Timeout)
            return Ended("RFC 5057 §5.2 and RFC 3261 §14.1: a transaction timeout ends the invite usage");

        // RFC 3261 §8.1.3.1: a transport error counts as 503 without Retry-After, which is about the transaction only.
        if (result.Kind == TransactionOutcomeKind.TransportError || result.Response is not { } response)
            return TransactionOnly("RFC 3261 §8.1.3.1: a transport error is a 503 without Retry-After; the dialog stays");

        var code = response.StatusCode;
        switch (code)
        {
            case 481:
                // The SRS has lost (or never had) the dialog state: a BYE would only earn another 481.
                return new InDialogFailure(InDialogFailureEffect.DialogGone, TimeSpan.Zero,
                    "RFC 5057 §5.1: 481 means the SRS has no such dialog; ended without BYE");
            case 408:
                return Ended("RFC 5057 §5.1: 408 ends the invite usage as a transaction timeout does (§5.2)");
            case 404 or 410 or 416 or 482 or 484 or 485 or 502 or 604:
                return Ended($"RFC 5057 §5.1: {code} destroys the dialog");
            case 483:
                // Our mid-dialog requests already carry Max-Forwards 70, so a retry with more hops is not an option.
                return Ended("RFC 5057 §5.1: 483 mid-dialog, not retried with a larger Max-Forwards, ends the usage gracefully");
            case 403 or 405:
                // "if the 403 came in response to a re-INVITE, the invite usage would be terminated"; 405 likewise ends
                // the usage it occurs in. UPDATE belongs to the same (the only) invite usage.
                return Ended($"RFC 5057 §5.1: {code} terminates the invite usage the request belongs to");
            case 491 when !retried:
                // RFC 3261 §14.1: the SRC owns the Call-ID (it sent the INVITE), so it waits 2.1 s to 4 s.
                return new InDialogFailure(InDialogFailureEffect.Retry, TimeSpan.FromMilliseconds((random ?? Random.Shared).Next(2100, 4001)),
                    "RFC 3261 §14.1: 491 glare, retried after the back-off");
            case 491:
                return TransactionOnly("RFC 3261 §14.1: 491 again after one back-off; the dialog stays");
            case >= 500 and < 700 when IsRetryAfterClass(code) && RetryAfter(response) is { } wait:
                if (retried)
                    return TransactionOnly($"RFC 5057 §5.1: {code} again after one retry; the dialog stays");
                if (wait > maxRetryAfter)
                {
                    return TransactionOnly(string.Create(CultureInfo.InvariantCulture,
                        $"RFC 5057 §5.1: {code} with Retry-After {wait.TotalSeconds:0} s, beyond the {maxRetryAfter.TotalSeconds:0.###} s the SRC waits; the dialog stays"));
                }

                return new InDialogFailure(InDialogFailureEffect.Retry, wait,
                    string.Create(CultureInfo.InvariantCulture, $"RFC 5057 §5.1: {code} with Retry-After {wait.TotalSeconds:0} s, retried once"));
            default:
                return TransactionOnly($"RFC 5057 §5.1: {code} objects to the request, not the usage; the dialog stays");
        }
    }

    /// <summary>
    /// Classifies the outcome of an in-dialog OPTIONS keep-alive (RFC 3261 §11): null when it shows the SRS alive, which
    /// any final answer but 408 and 481 does (a 405, 501 or 401 comes from a live SRS, and OPTIONS belongs to no usage an
    /// answer could end). A timeout or 408 ends the recorder with BYE and a 481 without, by the rules of
    /// <see cref="Classify"/>. A transport error ends it with BYE too: <see cref="Classify"/> keeps the dialog after an
    /// offer that could not be sent (RFC 3261 §8.1.3.1 reads it as a 503, about that transaction only), but a keep-alive
    /// exists to find out whether the recorder can be reached, and one that cannot is dead.
    /// </summary>
    /// <param name="result">The ping transaction's outcome; a wait cut short by <see cref="SrcOptions.PingTimeout"/> is a timeout.</param>
    public static InDialogFailure? ClassifyPing(TransactionOutcome result)
    {
        if (result.Kind == TransactionOutcomeKind.Timeout || result.Response is { StatusCode: 408 or 481 })
            return Classify(result, retried: true, TimeSpan.Zero);
        if (result.Kind == TransactionOutcomeKind.TransportError || result.Response is null)
            return Ended("RFC 3261 §8.1.3.1: a keep-alive OPTIONS that cannot be sent means the SRS is unreachable, which ends the recorder");
        return null;
    }

    // RFC 5057 §5.1 lets "500 and 5xx unrecognized" (503 and 504 "as for 500") and "600 and 6xx unrecognized" be
    // retried after Retry-After; the codes it gives another meaning are left out.
    private static bool IsRetryAfterClass(int code) => code is not (501 or 502 or 505 or 513 or 580 or 603 or 604 or 606);

    /// <summary>The delta-seconds of Retry-After (RFC 3261 §20.33, comment and parameters ignored); null when absent or unreadable.</summary>
    internal static TimeSpan? RetryAfter(SipResponse response)
    {
        var value = response.GetHeader("Retry-After")?.Trim();
        if (string.IsNullOrEmpty(value))
            return null;
        var digits = 0;
        while (digits < value.Length && char.IsAsciiDigit(value[digits]))
            digits++;
        return digits > 0 && int.TryParse(value.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static InDialogFailure Ended(string rule) => new(InDialogFailureEffect.UsageTerminated, TimeSpan.Zero, rule + "; ended with BYE");

    private static InDialogFailure TransactionOnly(string rule) => new(InDialogFailureEffect.TransactionOnly, TimeSpan.Zero, rule);
}
