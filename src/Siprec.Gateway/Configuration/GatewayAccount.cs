namespace Siprec.Gateway.Configuration;

/// <summary>
/// One REST API account (DESIGN §4.4): Basic auth is <c>Sid:AuthToken</c>, Bearer auth is one of <see cref="ApiKeys"/>.
/// Secrets are never logged; <see cref="ToString"/> hides them.
/// </summary>
/// <param name="Sid">The account SID, as it appears in REST paths and in the calls' <c>X-Account-Sid</c>.</param>
/// <param name="AuthToken">The Basic-auth password.</param>
/// <param name="ApiKeys">Bearer keys that act for this account.</param>
public sealed record GatewayAccount(string Sid, string AuthToken, IReadOnlyList<string> ApiKeys)
{
    /// <summary>
    /// The connector a REST create of this account uses when it names no <c>ConnectorName</c> (<c>defaultConnector</c> in the
    /// configuration file); null: such a create is refused with 400 naming the field. Must name a configured connector
    /// (checked at start-up).
    /// </summary>
    public string? DefaultConnector { get; init; }

    /// <summary>
    /// The account's voice application (<c>voiceUrl</c>, <c>voiceMethod</c>, <c>dialect</c> in the configuration file): the
    /// TwiML/TeXML document its calls run, unless their called number has one of its own; null for none.
    /// </summary>
    public Twiml.VoiceApplication? Application { get; init; }

    /// <summary>The SID only; the token and keys are never printed.</summary>
    public override string ToString() =>
        $"GatewayAccount {{ Sid = {Sid}, AuthToken = ***, ApiKeys = {ApiKeys.Count}" + (DefaultConnector is null ? "" : $", DefaultConnector = {DefaultConnector}") + " }";
}
