using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using SipDialog = Siprec.Sip.Dialogs.Dialog;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// Where a recording dialog's requests go: the SRS URI's ordered targets (RFC 3263), each target's turn inside the
/// no-answer window (RFC 3263 §4.3), and the target of in-dialog requests once a 2xx set up the dialog (RFC 3261 §12.2.1.1).
/// </summary>
internal static class SrsTargets
{
    /// <summary>
    /// The ordered targets for the SRS URI (RFC 3263), from the locator port: the connector's
    /// <paramref name="transport"/> is applied as the URI's transport parameter first.
    /// </summary>
    public static async Task<IReadOnlyList<SipTarget>> LocateAsync(DialogContext context, SipUri uri, string? transport, CancellationToken ct)
    {
        if (transport is not null && uri.Transport is null && !(transport == "udp" && uri.Scheme.Equals("sip", StringComparison.OrdinalIgnoreCase)))
            uri = uri.WithParameter("transport", transport);
        return await context.Locator.ResolveAsync(uri, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A target's turn inside the no-answer window: the time left divided among the targets left (this one included),
    /// at least 2 × T1 of the SRC's transaction layer.
    /// </summary>
    public static TimeSpan TurnLength(DialogContext context, DateTimeOffset windowEnd, int targetsLeft)
    {
        var share = (windowEnd - context.Time.GetUtcNow()) / targetsLeft;
        var floor = context.Layer.Options.T1 * 2;
        return share > floor ? share : floor;
    }

    /// <summary>
    /// In-dialog requests go to the route set or the remote target (RFC 3261 §12.2.1.1), over the INVITE's transport;
    /// <paramref name="fallback"/> when that target cannot be resolved within the no-answer timeout. Never throws.
    /// </summary>
    public static async Task<SipTarget> ResolveInDialogAsync(DialogContext context, SipDialog dialog, SipTarget fallback, string srsUri)
    {
        var target = dialog.RouteSet.Count > 0 ? dialog.RouteSet[0].Uri : dialog.RemoteTarget;
        try
        {
            using var cts = new CancellationTokenSource(context.Options.NoAnswerTimeout, context.Time);
            var protocol = target.Transport is null && !target.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase)
                ? fallback.Protocol
                : ProtocolOf(target) ?? fallback.Protocol;
            var plain = target with { Parameters = target.Parameters.Where(p => !p.Key.Equals("transport", StringComparison.OrdinalIgnoreCase)).ToList() };
            var found = await context.Locator.ResolveAsync(plain, cts.Token).ConfigureAwait(false);
            return found.Count > 0 ? new SipTarget(found[0].EndPoint, protocol, fallback.TlsHostName) : fallback;
        }
        catch (Exception ex)
        {
            Log.TargetUnresolved(context.Logger, srsUri, target.ToString(), ex.Message);
            return fallback;
        }
    }

    /// <summary>True when the URI or the forced transport means TLS: a <c>sips:</c> URI, or transport <c>tls</c> (RFC 3261 §26.2.2).</summary>
    public static bool IsTlsUri(SipUri uri, string? forcedTransport) =>
        uri.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase)
        || string.Equals(forcedTransport ?? uri.Transport, "tls", StringComparison.OrdinalIgnoreCase);

    /// <summary>The transport a URI names (its scheme and transport parameter); null for one the SRC does not speak.</summary>
    private static SipTransportProtocol? ProtocolOf(SipUri uri)
    {
        var secure = uri.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase);
        return uri.Transport switch
        {
            null => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Udp,
            "udp" when !secure => SipTransportProtocol.Udp,
            "tcp" => secure ? SipTransportProtocol.Tls : SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => null,
        };
    }
}
