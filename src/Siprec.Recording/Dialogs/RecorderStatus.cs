namespace Siprec.Recording.Dialogs;

/// <summary>Where one recording dialog is in its life.</summary>
internal enum RecorderStatus
{
    /// <summary>INVITE sent, no final answer yet.</summary>
    Pending,

    /// <summary>2xx received, ACKed and admitted by the session: media flows to it.</summary>
    Established,

    /// <summary>Rejected, failed, cancelled, or ended by BYE from either side.</summary>
    Ended,
}
