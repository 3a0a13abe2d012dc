namespace Siprec.Testing.Srs;

/// <summary>How a <see cref="FakeSrs"/> answers an initial (out-of-dialog) INVITE, RFC 7866 §6.1.</summary>
public enum FakeSrsBehavior
{
    /// <summary>200 OK at once, one recvonly m-line per offered stream (at most two) on real RTP sockets.</summary>
    Accept,

    /// <summary>486 Busy Here (RFC 3261 §21.4.24).</summary>
    Reject486,

    /// <summary>No final response at all: the SRC's no-answer timeout and CANCEL (RFC 3261 §9.1) do the rest.</summary>
    Silent,

    /// <summary>Like <see cref="Accept"/>, but only after the late delay given to <see cref="FakeSrs.Start"/>.</summary>
    AcceptLate,
}
