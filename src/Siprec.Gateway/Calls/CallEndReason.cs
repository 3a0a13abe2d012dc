namespace Siprec.Gateway.Calls;

/// <summary>Why a call is being torn down.</summary>
internal enum CallEndReason
{
    /// <summary>The caller sent BYE.</summary>
    RemoteHangUp,

    /// <summary>The flow (or the gateway after the flow finished) hung up with BYE.</summary>
    LocalHangUp,

    /// <summary>No ACK came for our 2xx within 64*T1 (RFC 3261 §13.3.1.4); BYE was sent.</summary>
    NoAck,

    /// <summary>The caller cancelled the INVITE before it was answered.</summary>
    Cancelled,

    /// <summary>The gateway is shutting down; BYE was sent.</summary>
    Shutdown,

    /// <summary>
    /// The call's recording was required and no recorder could be established or the last one was lost; BYE was sent with
    /// <c>Reason: SIP ;cause=503 ;text="recording required and unavailable"</c> (RFC 3326).
    /// </summary>
    RecordingUnavailable,
}
