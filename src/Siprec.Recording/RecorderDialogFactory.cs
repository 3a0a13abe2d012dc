using Siprec.Control;
using Siprec.Recording.Connectors;
using Siprec.Recording.Dialogs;
using Siprec.Recording.MediaEngines;
using Siprec.Recording.Metadata;
using Siprec.Sip.Auth;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Recording;

/// <summary>
/// Opens the recording session dialogs of one <see cref="RecordingSession"/> (RFC 7866 §6.1, one per SRS): a start's
/// settings from the request and the connector, and the offered streams with their labels (RFC 7866 §8.1.1).
/// </summary>
internal sealed class RecorderDialogFactory
{
    private readonly SiprecClient _client;
    private readonly IMediaEngineCall _media;
    private readonly Lock _gate;
    private readonly Action<RecordingDialog, RecorderFailure> _remoteEnded;

    /// <param name="client">The SRC: options, clock and the dialogs' context.</param>
    /// <param name="media">The recorded call's media engine call, shared by every dialog.</param>
    /// <param name="gate">The recording's one lock (<see cref="RecordingSession.GroupLock"/>), shared by every dialog.</param>
    /// <param name="remoteEnded">Told when an established recorder ends without our asking.</param>
    public RecorderDialogFactory(SiprecClient client, IMediaEngineCall media, Lock gate, Action<RecordingDialog, RecorderFailure> remoteEnded)
    {
        _client = client;
        _media = media;
        _gate = gate;
        _remoteEnded = remoteEnded;
    }

    /// <summary>What every dialog of one start shares: session timer, transport, extra headers, metadata, credentials, pings.</summary>
    public DialogSettings BuildSettings(RecordingControlRequest request, RecordingStartOptions options, RecordingMetadata metadata)
    {
        var connector = options.Connector;
        var sessionExpires = options.SessionExpires
            ?? (connector?.SessionTimeoutSecs is { } secs ? TimeSpan.FromSeconds(secs) : _client.Options.SessionExpires);
        var headers = new List<KeyValuePair<string, string>>();
        if (connector is not null)
            headers.AddRange(connector.Headers.Where(h => SrsConnectorOptions.IsAllowedHeader(h.Key)));
        if (!request.IncludeMetadataCustomHeaders)
        {
            // Telnyx's default: Parameters are SIP headers on the INVITE. Only header-safe names and values travel; the rest
            // would corrupt the INVITE.
            headers.AddRange(request.Parameters.Where(h => SrsConnectorOptions.IsAllowedHeader(h.Key) && InfoRequestMapping.IsSafeHeaderValue(h.Value)));
        }

        var credentials = connector is { UserName: { Length: > 0 } user, Password: { } password } ? new DigestCredentials(user, password, connector.Realm) : null;
        var pingInterval = connector?.PingIntervalSecs is { } ping ? TimeSpan.FromSeconds(ping) : _client.Options.PingInterval;
        return new DialogSettings(sessionExpires, connector?.EffectiveTransport, headers, () => metadata.BuildSnapshot(_client.Time.GetUtcNow()), credentials,
            connector?.Secure == true, pingInterval);
    }

    /// <summary>A new dialog toward <paramref name="srsUri"/> offering the tracks of <paramref name="metadata"/>; <paramref name="targets"/> pins its hops (a failover's SRV targets).</summary>
    public RecordingDialog Create(string srsUri, RecordingMetadata metadata, DialogSettings settings, IReadOnlyList<SipTarget>? targets = null)
    {
        SipUri.TryParse(srsUri, out var uri);
        var streams = new List<OfferedStream>();
        foreach (var party in (CallParty[])[CallParty.Caller, CallParty.Bot])
        {
            if (metadata.Track.Includes(party))
                streams.Add(new OfferedStream(party, party == CallParty.Caller ? RecordingMetadata.CallerLabel : RecordingMetadata.BotLabel));
        }

        return new RecordingDialog(_client.DialogContext, srsUri, uri, streams, settings, _media, targets, _gate) { RemoteEnded = _remoteEnded };
    }
}
