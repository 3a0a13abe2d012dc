using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recorder;

/// <summary>
/// The SRS's shared response shapes: what it says it supports (Allow, Accept, Supported; RFC 3261 §20.5, §20.1, §20.37)
/// and an error response whose Warning names the SRS (RFC 3261 §20.43), so every handler answers alike.
/// </summary>
internal static class SrsResponses
{
    /// <summary>The methods the SRS answers, for <c>Allow</c> and for every 405.</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";
    private const string AcceptedTypes = "application/sdp, application/rs-metadata+xml, application/rs-metadata, multipart/mixed";

    public static SipResponse Capabilities(SipResponse response) => response
        .AddHeader("Allow", AllowedMethods)
        .AddHeader("Accept", AcceptedTypes)
        .AddHeader("Supported", "siprec, timer");

    public static SipRequest Capabilities(SipRequest request) => request
        .AddHeader("Allow", AllowedMethods)
        .AddHeader("Supported", "siprec, timer");

    public static ValueTask RespondAsync(ServerTransaction transaction, SipResponse response, CancellationToken ct) =>
        transaction.RespondAsync(response, ct);

    /// <summary>An error response whose Warning (RFC 3261 §20.43) names the address the request arrived on as warn-agent.</summary>
    public static SipResponse Reject(ServerTransaction transaction, int statusCode, string reason)
    {
        var text = reason.Replace('"', '\'');
        return SipResponse.CreateFor(transaction.Request, statusCode)
            .AddHeader("Warning", $"399 {transaction.Incoming.Local.Address} \"{text}\"");
    }

    public static Task RejectAsync(ILogger logger, ServerTransaction transaction, int statusCode, string reason, CancellationToken ct) =>
        RejectAsync(logger, transaction, Reject(transaction, statusCode, reason), reason, ct);

    public static async Task RejectAsync(ILogger logger, ServerTransaction transaction, SipResponse response, string reason, CancellationToken ct)
    {
        Log.InviteRejected(logger, transaction.Request.CallId ?? "none", transaction.Incoming.Remote, response.StatusCode, reason);
        await RespondAsync(transaction, response, ct).ConfigureAwait(false);
    }
}
