using Microsoft.Extensions.Logging;
using Siprec.Sip.Auth;
using Siprec.Sip.Messages;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// Answers the digest challenges (401/407, RFC 3261 §22.2) an SRS puts to one recording dialog's requests with the
/// connector's credentials, counting the uses of each nonce across the dialog.
/// </summary>
internal sealed class DialogDigest(DigestCredentials? credentials, ILogger logger, string srsUri)
{
    private int _nonceCount;

    /// <summary>True when there are credentials to answer a challenge with.</summary>
    public bool HasCredentials => credentials is not null;

    /// <summary>The header that answers <paramref name="challenge"/>: <c>Proxy-Authorization</c> for 407, else <c>Authorization</c>.</summary>
    public static string AuthorizationHeaderOf(SipResponse challenge) => challenge.StatusCode == 407 ? "Proxy-Authorization" : "Authorization";

    /// <summary>Builds the answer to <paramref name="challenge"/> for <paramref name="request"/>; false (with why) when none fits.</summary>
    public bool TryAuthorize(SipResponse challenge, SipRequest request, out SipHeader authorization, out string? error)
    {
        if (credentials is null)
        {
            authorization = default;
            error = "no credentials";
            return false;
        }

        var cnonce = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        return DigestAuthenticator.TryAuthorize(challenge, request, credentials, Interlocked.Increment(ref _nonceCount), cnonce, out authorization, out error);
    }

    /// <summary>
    /// Adds the answer to <paramref name="challenge"/> when there is one and the credentials fit; otherwise returns the
    /// request unchanged (logging why), so the SRS's next answer is reported.
    /// </summary>
    public SipRequest Authorize(SipRequest request, SipResponse? challenge)
    {
        if (challenge is null || credentials is null)
            return request;
        if (!TryAuthorize(challenge, request, out var header, out var error))
        {
            Log.AuthenticationFailed(logger, srsUri, request.Method, error ?? "unusable challenge");
            return request;
        }

        return request.AddHeader(header.Name, header.Value);
    }
}
