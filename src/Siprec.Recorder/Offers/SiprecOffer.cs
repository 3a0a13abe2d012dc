using Siprec.Recorder.Metadata;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Offers;

/// <summary>A SIPREC offer split into its SDP and its RFC 7865 metadata (RFC 7866 §6.1).</summary>
internal sealed record SiprecOffer(SdpSession Sdp, RecordingMetadata? Metadata);
