using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// Everything a <see cref="RecordingDialog"/> needs from the SRC that owns it, built once when the SRC starts: the
/// transaction layer, the SRS locator, the clock, the SRC's options, the logger, the SRC's own URI and address, and the
/// Contact for each transport. What a dialog must tell its owner goes through two callbacks only (<see cref="Route"/>
/// and <see cref="Unroute"/>, the routing of in-dialog requests by Call-ID); the dialog never sees the
/// <see cref="SiprecClient"/> itself.
/// </summary>
internal sealed class DialogContext
{
    private readonly Func<SipTransportProtocol, string> _contactFor;
    private readonly Action<RecordingDialog> _route;
    private readonly Action<RecordingDialog> _unroute;

    /// <summary>Creates the context of every dialog of one started SRC.</summary>
    /// <param name="layer">The SRC's started transaction layer; every request, response and ACK of a dialog goes through it.</param>
    /// <param name="locator">Finds an SRS's targets and a dialog's remote target (RFC 3263).</param>
    /// <param name="time">The clock for every timer and bound of a dialog.</param>
    /// <param name="options">The SRC's validated options.</param>
    /// <param name="logger">The logger of the dialogs.</param>
    /// <param name="localUri">The SRC's own URI (<c>sip:SrcUser@ip:port</c>), used in From.</param>
    /// <param name="localAddress">The address of the SRC's SIP endpoint; the host part of each dialog's Call-ID.</param>
    /// <param name="contactFor">The Contact (with <c>+sip.src</c>) for a dialog whose INVITE goes over a transport.</param>
    /// <param name="route">Called when a dialog's INVITE is about to go out: the owner routes requests with its Call-ID to it.</param>
    /// <param name="unroute">Called when a dialog is disposed: the owner stops routing its Call-ID to it.</param>
    public DialogContext(TransactionLayer layer, ISipServerLocator locator, TimeProvider time, SrcOptions options, ILogger logger, SipUri localUri,
        IPAddress localAddress, Func<SipTransportProtocol, string> contactFor, Action<RecordingDialog> route, Action<RecordingDialog> unroute)
    {
        Layer = layer;
        Locator = locator;
        Time = time;
        Options = options;
        Logger = logger;
        LocalUri = localUri;
        LocalAddress = localAddress;
        _contactFor = contactFor;
        _route = route;
        _unroute = unroute;
    }

    /// <summary>The SRC's transaction layer (its T1 also sets the shortest turn of a target, see <see cref="SrsTargets.TurnLength"/>).</summary>
    public TransactionLayer Layer { get; }

    /// <summary>Finds an SRS's targets and a dialog's remote target (RFC 3263).</summary>
    public ISipServerLocator Locator { get; }

    /// <summary>The clock for every timer and bound of a dialog.</summary>
    public TimeProvider Time { get; }

    /// <summary>
    /// The SRC's options; a dialog reads <see cref="SrcOptions.SrcUser"/>, <see cref="SrcOptions.MediaAddress"/>,
    /// <see cref="SrcOptions.NoAnswerTimeout"/>, <see cref="SrcOptions.MaxRetryAfter"/>, <see cref="SrcOptions.PingTimeout"/>,
    /// <see cref="SrcOptions.MediaUnreachableAfter"/> and <see cref="SrcOptions.RtcpSilenceTimeout"/>.
    /// </summary>
    public SrcOptions Options { get; }

    /// <summary>The logger of the dialogs.</summary>
    public ILogger Logger { get; }

    /// <summary>The SRC's own URI, <c>sip:SrcUser@ip:port</c>, used in From.</summary>
    public SipUri LocalUri { get; }

    /// <summary>The address of the SRC's SIP endpoint; the host part of each dialog's Call-ID.</summary>
    public IPAddress LocalAddress { get; }

    /// <summary>The Contact, with the RFC 7866 §6.1.1 feature tag, for a dialog whose INVITE goes over <paramref name="protocol"/>.</summary>
    public string ContactFor(SipTransportProtocol protocol) => _contactFor(protocol);

    /// <summary>Tells the owner to route in-dialog requests, ACKs and retransmitted 2xx with the dialog's Call-ID to it.</summary>
    public void Route(RecordingDialog dialog) => _route(dialog);

    /// <summary>Tells the owner to stop routing the dialog's Call-ID to it (a later dialog with the same Call-ID keeps its entry).</summary>
    public void Unroute(RecordingDialog dialog) => _unroute(dialog);
}
