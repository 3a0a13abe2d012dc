using System.Net;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;

namespace Siprec.Cli.Demo.Caller;

/// <summary>One established call of the demo caller: its dialog, the ACK to repeat for a retransmitted 2xx, and the remote hang-up signal.</summary>
internal sealed class DemoCallLeg
{
    /// <param name="dialog">The dialog created from the 2xx (RFC 3261 §12.1.2).</param>
    /// <param name="ack">The ACK sent for the 2xx.</param>
    /// <param name="destination">Where the ACK and our in-dialog requests go.</param>
    public DemoCallLeg(Dialog dialog, SipRequest ack, IPEndPoint destination)
    {
        Dialog = dialog;
        Ack = ack;
        Destination = destination;
    }

    /// <summary>The dialog; lock <see cref="Sync"/> when creating requests or accepting remote CSeqs.</summary>
    public Dialog Dialog { get; }

    /// <summary>The ACK for the 2xx.</summary>
    public SipRequest Ack { get; }

    /// <summary>The peer's SIP address.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>Guards <see cref="Dialog"/>.</summary>
    public object Sync { get; } = new();

    /// <summary>Completes when the peer's BYE arrives (and was answered 200).</summary>
    public TaskCompletionSource RemoteBye { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
