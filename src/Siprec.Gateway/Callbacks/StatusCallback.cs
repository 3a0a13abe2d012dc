namespace Siprec.Gateway.Callbacks;

/// <summary>One status callback to deliver (DESIGN §4.4): where, how, and the form fields in order.</summary>
/// <param name="Url">Absolute http(s) URL.</param>
/// <param name="Method"><c>GET</c> (fields in the query string) or <c>POST</c> (form-encoded body).</param>
/// <param name="Fields">AccountSid, CallSid, SiprecSid, SiprecName, SiprecEvent, Timestamp, and on error SiprecError, SiprecErrorCode.</param>
internal sealed record StatusCallback(Uri Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>The value of one field; null when absent.</summary>
    public string? Get(string name) => Fields.FirstOrDefault(f => f.Key == name).Value;
}
