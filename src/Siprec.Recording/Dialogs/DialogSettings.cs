using Siprec.Sip.Auth;

namespace Siprec.Recording.Dialogs;

/// <summary>What one recording dialog needs beyond its SRS URI: timers, transport, extra headers, the snapshot source.</summary>
/// <param name="SessionExpires">RFC 4028 interval offered; zero disables session timers.</param>
/// <param name="Transport">The transport to use (<c>udp</c>, <c>tcp</c>, <c>tls</c>); null = from the URI.</param>
/// <param name="ExtraHeaders">Headers added to the initial INVITE (connector headers, custom parameters as headers).</param>
/// <param name="Snapshot">Builds a new complete metadata snapshot (answers an SRS snapshot request).</param>
/// <param name="Credentials">Digest credentials answering a 401/407 to the INVITE; null = none.</param>
/// <param name="SecureMedia">SRTP was asked for (connector <c>Secure</c>).</param>
/// <param name="PingInterval">Period of the in-dialog OPTIONS keep-alive once established (<see cref="SrcOptions.PingInterval"/>); zero = no pings.</param>
internal sealed record DialogSettings(TimeSpan SessionExpires, string? Transport, IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders,
    Func<byte[]> Snapshot, DigestCredentials? Credentials = null, bool SecureMedia = false, TimeSpan PingInterval = default);
