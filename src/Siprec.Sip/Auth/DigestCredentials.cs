namespace Siprec.Sip.Auth;

/// <summary>A user name and password for HTTP Digest in SIP (RFC 3261 §22.4); <see cref="ToString"/> never shows the password.</summary>
/// <param name="UserName">The digest user name.</param>
/// <param name="Password">The shared secret.</param>
/// <param name="Realm">When set, only challenges of this realm are answered (RFC 3261 §22.1); null answers any realm.</param>
public sealed record DigestCredentials(string UserName, string Password, string? Realm = null)
{
    /// <summary>The user name and realm; the password is masked so credentials can be logged safely.</summary>
    public override string ToString() => $"DigestCredentials {{ UserName = {UserName}, Password = ***, Realm = {Realm} }}";
}
