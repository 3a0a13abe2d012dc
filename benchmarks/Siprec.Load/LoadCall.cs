using System.Net;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;

namespace Siprec.Load;

/// <summary>
/// One call the harness places: its dialog (RFC 3261 §12) once answered, where the gateway wants the caller's RTP, and
/// the RTP stream's state, which only the pacing thread of <see cref="Shard"/> touches.
/// </summary>
internal sealed class LoadCall
{
    private bool _endedByGateway;
    private bool _rtpActive;

    /// <param name="recordingId">The <c>X-Srs-Recording-ID</c> of its recording, which the SRS writes into the sidecar.</param>
    /// <param name="shard">The RTP pacing shard (its socket is the call's RTP address in the offer).</param>
    /// <param name="ssrc">The caller stream's SSRC (RFC 3550 §8: random).</param>
    /// <param name="firstSequence">The first RTP sequence number (RFC 3550 §5.1: random).</param>
    public LoadCall(string recordingId, int shard, uint ssrc, ushort firstSequence)
    {
        RecordingId = recordingId;
        Shard = shard;
        Ssrc = ssrc;
        Sequence = firstSequence;
    }

    /// <summary>Correlates the call with its SRS sidecar.</summary>
    public string RecordingId { get; }

    /// <summary>Index of the RTP pacing shard.</summary>
    public int Shard { get; }

    /// <summary>Guards the dialog: in-dialog requests from both sides read and bump its CSeq numbers.</summary>
    public object Sync { get; } = new();

    /// <summary>The call's Call-ID (the transaction user finds the call by it).</summary>
    public string CallId { get; set; } = "";

    /// <summary>The dialog once the 2xx came; null before.</summary>
    public Dialog? Dialog { get; set; }

    /// <summary>The ACK for the 2xx, kept to answer a retransmitted 2xx (RFC 3261 §13.2.2.4).</summary>
    public SipRequest? Ack { get; set; }

    /// <summary>Where the gateway wants the caller's RTP (from its SDP answer).</summary>
    public IPEndPoint? RtpTarget { get; set; }

    /// <summary><see cref="RtpTarget"/> in the form sendto(2) takes without allocating.</summary>
    public SocketAddress? RtpTargetAddress { get; set; }

    /// <summary>Set when the gateway ended the call with its own BYE.</summary>
    public bool EndedByGateway
    {
        get => Volatile.Read(ref _endedByGateway);
        set => Volatile.Write(ref _endedByGateway, value);
    }

    /// <summary>Whether the pacing thread sends this call's RTP.</summary>
    public bool RtpActive
    {
        get => Volatile.Read(ref _rtpActive);
        set => Volatile.Write(ref _rtpActive, value);
    }

    /// <summary>The caller stream's SSRC.</summary>
    public uint Ssrc { get; }

    /// <summary>The next RTP sequence number (pacing thread only).</summary>
    public ushort Sequence { get; set; }

    /// <summary>The next RTP timestamp, 8 kHz units (pacing thread only).</summary>
    public uint Timestamp { get; set; }

    /// <summary>When the next packet is due, a <see cref="System.Diagnostics.Stopwatch"/> timestamp (pacing thread only).</summary>
    public long NextDue { get; set; }

    /// <summary>Whether the next packet is the stream's first (RFC 3551 §4.1: marker bit on a talkspurt's first packet).</summary>
    public bool FirstPacket { get; set; } = true;
}
