namespace Siprec.Sip.Sdp;

/// <summary>Media direction attributes (RFC 4566 §6, RFC 3264 §5.1).</summary>
public enum SdpDirection
{
    /// <summary><c>a=sendrecv</c>, also the default when none is given.</summary>
    SendRecv,
    /// <summary><c>a=sendonly</c>; a SIPREC SRC offers its streams this way (RFC 7866 §8.1.1).</summary>
    SendOnly,
    /// <summary><c>a=recvonly</c>; an SRS answers this way.</summary>
    RecvOnly,
    /// <summary><c>a=inactive</c>; used while recording is paused.</summary>
    Inactive,
}
