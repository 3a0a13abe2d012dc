namespace Siprec.Recording;

/// <summary>What became of one SRS's recording dialog (or of one operation on it).</summary>
public enum SrsOutcomeKind
{
    /// <summary>The SRS answered 2xx.</summary>
    Accepted,

    /// <summary>The SRS answered a final non-2xx response; the status code is set.</summary>
    Rejected,

    /// <summary>No final answer in time (transaction Timer B/F, or the no-answer timeout of a start).</summary>
    Timeout,

    /// <summary>The request could not be sent (socket error, unsupported transport).</summary>
    TransportError,

    /// <summary>The SRS host could not be resolved (RFC 3263 location failed).</summary>
    DnsFailure,

    /// <summary>The SRC gave up on it (stop or timeout while pending, CANCEL sent; or BYE after a late 2xx).</summary>
    Cancelled,

    /// <summary>Still waiting for the SRS's answer when the result was taken.</summary>
    Pending,

    /// <summary>The media engine could not open media for this recorder (rtpengine did not answer or refused); shown as <c>media-engine-failed</c>, code 503.</summary>
    MediaEngineFailed,
}
