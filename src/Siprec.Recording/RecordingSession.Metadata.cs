using Siprec.Recording.Dialogs;
using Siprec.Sip.Messages;

namespace Siprec.Recording;

/// <summary>Metadata updates of an established recording (RFC 7866 §7.1.2, RFC 7865 §8.2 partial updates).</summary>
public sealed partial class RecordingSession
{
    /// <summary>
    /// Tells every recorder that <paramref name="party"/> stopped (hold) or resumed sending: a partial update in an
    /// UPDATE when the SRS allows it, else in a re-INVITE with the current SDP. Succeeded with no outcomes when the
    /// hold state did not change; not succeeded (nothing sent) unless recording or paused.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while requests were out.</exception>
    public Task<RecordingOperationResult> SetOnHoldAsync(CallParty party, bool onHold, CancellationToken ct) =>
        SendUpdateAsync(m => m.SetOnHold(party, onHold), ct);

    /// <summary>
    /// Replaces a participant (e.g. after a transfer) and sends every recorder the partial update: the old participant
    /// disassociated, the new one associated with the session and the streams. Not succeeded unless recording or paused.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while requests were out.</exception>
    public Task<RecordingOperationResult> ReplaceParticipantAsync(CallParty party, NameAddress address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        return SendUpdateAsync(m => m.ReplaceParticipant(party, address, _client.Time.GetUtcNow()), ct);
    }

    private async Task<RecordingOperationResult> SendUpdateAsync(Func<Metadata.RecordingMetadata, byte[]?> change, CancellationToken ct)
    {
        byte[]? update;
        List<RecordingDialog> targets;
        lock (_gate)
        {
            if (_state is not (RecordingState.Recording or RecordingState.Paused) || _metadata is null)
                return new RecordingOperationResult(false, []);
            update = change(_metadata);
            targets = Established();
        }

        if (update is null)
            return new RecordingOperationResult(true, []);
        var outcomes = await Task.WhenAll(targets.Select(d => d.SendMetadataAsync(update, ct))).ConfigureAwait(false);
        return new RecordingOperationResult(outcomes.Any(o => o.Kind == SrsOutcomeKind.Accepted), outcomes);
    }
}
