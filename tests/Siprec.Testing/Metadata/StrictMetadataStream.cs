namespace Siprec.Testing.Metadata;

/// <summary>An RFC 7865 §6.8 media stream, tied to an SDP m-line by its <c>label</c> (RFC 4574).</summary>
/// <param name="StreamId">The <c>stream_id</c> (base64 of 16 bytes).</param>
/// <param name="SessionId">The <c>session_id</c> of the communication session it belongs to.</param>
/// <param name="Label">The SDP <c>a=label</c> value of its m-line.</param>
public sealed record StrictMetadataStream(string StreamId, string SessionId, string Label);
