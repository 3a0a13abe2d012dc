namespace Siprec.Gateway.Twiml;

/// <summary>
/// The standard call parameters Twilio (and Telnyx's TeXML) send with every voice webhook: <c>CallSid</c>,
/// <c>AccountSid</c>, <c>From</c>, <c>To</c>, <c>CallStatus</c>, <c>Direction</c>, <c>ApiVersion</c>.
/// </summary>
/// <param name="CallSid">The call's SID, the key to the REST API's resources.</param>
/// <param name="AccountSid">The call's account; empty when it has none.</param>
/// <param name="From">The caller.</param>
/// <param name="To">The called party.</param>
internal sealed record TwimlCallParameters(string CallSid, string AccountSid, string From, string To)
{
    /// <summary>Twilio's REST API version, the one our REST paths carry.</summary>
    public const string ApiVersion = "2010-04-01";

    /// <summary>The call is answered and up when its document is fetched (the gateway fetches on the ACK).</summary>
    public const string CallStatus = "in-progress";

    /// <summary>The gateway answers calls; it places none.</summary>
    public const string Direction = "inbound";

    /// <summary>The fields in Twilio's order, for a form body or a query string.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields =>
    [
        new("CallSid", CallSid), new("AccountSid", AccountSid), new("From", From), new("To", To),
        new("CallStatus", CallStatus), new("Direction", Direction), new("ApiVersion", ApiVersion),
    ];

    /// <summary>The parameters of a call.</summary>
    public static TwimlCallParameters Of(ITwimlCall call) => new(call.CallSid, call.AccountSid ?? "", call.From, call.To);
}
