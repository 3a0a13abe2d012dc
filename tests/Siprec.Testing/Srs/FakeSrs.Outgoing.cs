using System.Net;
using System.Text;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Testing.Srs;

/// <summary>Requests the SRS sends to the SRC inside the recording dialog (RFC 3261 §12.2.1), or raw.</summary>
public sealed partial class FakeSrs
{
    /// <summary>Ends the recording dialog from the SRS side (BYE, RFC 3261 §15.1.1).</summary>
    /// <exception cref="InvalidOperationException">No initial INVITE was accepted yet, so there is no dialog.</exception>
    public Task<TransactionOutcome> SendByeAsync() => SendInDialogAsync(SipMethods.Bye);

    /// <summary>Sends an in-dialog request of any method to the SRC, with an optional SDP body; a 2xx to INVITE is ACKed.</summary>
    /// <exception cref="InvalidOperationException">No initial INVITE was accepted yet, so there is no dialog.</exception>
    public Task<TransactionOutcome> SendInDialogAsync(string method, string? sdp = null) =>
        SendInDialogAsync(method, sdp is null ? null : "application/sdp", sdp is null ? null : Encoding.UTF8.GetBytes(sdp));

    /// <summary>Sends an in-dialog request with any body and extra headers; a 2xx to INVITE is ACKed, with <paramref name="ackSdp"/> as its body when given.</summary>
    /// <exception cref="InvalidOperationException">No initial INVITE was accepted yet, so there is no dialog.</exception>
    public async Task<TransactionOutcome> SendInDialogAsync(string method, string? contentType, byte[]? body,
        IEnumerable<KeyValuePair<string, string>>? headers = null, string? ackSdp = null)
    {
        if (Dialog is not { } dialog || SrcEndPoint is not { } src)
            throw new InvalidOperationException($"the fake SRS {Uri} has no recording dialog to send {method} in");
        var request = dialog.CreateRequest(method);
        foreach (var (name, value) in headers ?? [])
            request = request.AddHeader(name, value);
        if (contentType is not null && body is not null)
            request = request.WithBody(contentType, body);
        var outcome = await _layer.SendRequestAsync(request, src);
        if (method == SipMethods.Invite && outcome.IsSuccess)
        {
            var ack = dialog.CreateAck(request.CSeq!.Value.Sequence);
            if (ackSdp is not null)
                ack = ack.WithBody("application/sdp", Encoding.UTF8.GetBytes(ackSdp));
            await _layer.SendAckAsync(ack, src);
        }

        return outcome;
    }

    /// <summary>Sends <paramref name="request"/> as it is to <paramref name="to"/> (for unknown-dialog tests).</summary>
    public Task<TransactionOutcome> SendRawAsync(SipRequest request, IPEndPoint to) => _layer.SendRequestAsync(request, to);
}
