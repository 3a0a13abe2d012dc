namespace Siprec.Gateway.Rest;

/// <summary>Which provider's paths and answers a REST request uses (DESIGN §4.4).</summary>
internal enum RestDialect
{
    /// <summary><c>/2010-04-01/Accounts/…</c>; create answers 201.</summary>
    Twilio,

    /// <summary><c>/v2/texml/Accounts/…</c>; create answers 200.</summary>
    Telnyx,
}
