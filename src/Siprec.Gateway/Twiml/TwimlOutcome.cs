namespace Siprec.Gateway.Twiml;

/// <summary>How one document ended: it ran out of verbs, hung up, or redirected to the next document.</summary>
/// <param name="Redirect">The next document; null when none.</param>
/// <param name="Method">The redirect's method (<c>POST</c> or <c>GET</c>).</param>
/// <param name="HungUp">The document's <c>&lt;Hangup&gt;</c> ended the call.</param>
internal sealed record TwimlOutcome(Uri? Redirect, string Method, bool HungUp)
{
    /// <summary>Every verb ran; as on Twilio, the call is hung up next.</summary>
    public static TwimlOutcome Ended { get; } = new(null, "POST", false);

    /// <summary><c>&lt;Hangup&gt;</c> ran.</summary>
    public static TwimlOutcome HangUp { get; } = new(null, "POST", true);
}
